"""Runs saved with the course (nnlite.labs.tables): one file format, written and read once, and a table made
for other settings refused in words."""

import numpy as np
import pytest

from nnlite.labs.tables import load_table, save_table


def test_a_table_reads_back_as_it_was_written(tmp_path):
    arrays = {"loss": np.array([[0.5, np.nan]], dtype=np.float32), "names": np.array(["relu"]), "epochs": np.int64(3)}
    save_table(tmp_path / "made" / "here.npz", arrays)  # the folder is made too
    table = load_table(tmp_path / "made" / "here.npz", "test", "make()", needed={"loss"}, made_for={"epochs": 3})
    assert set(table) == set(arrays)
    for name, array in arrays.items():
        assert table[name].dtype == np.asarray(array).dtype
        np.testing.assert_array_equal(table[name], array)


def test_a_table_that_cannot_be_read_or_lacks_an_array_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"path must be a test table written by make\(\), could not read .*missing"):
        load_table(tmp_path / "missing.npz", "test", "make()")
    (tmp_path / "text.npz").write_text("not a table")
    with pytest.raises(ValueError, match="could not read .*text.npz"):
        load_table(tmp_path / "text.npz", "test", "make()")
    save_table(tmp_path / "t.npz", {"loss": np.zeros(2)})
    with pytest.raises(ValueError, match=r"t.npz is not a test table: it lacks \['accuracy', 'seeds'\]"):
        load_table(tmp_path / "t.npz", "test", "make()", needed={"loss", "accuracy"}, made_for={"seeds": [0, 1]})


@pytest.mark.parametrize("made_for", [{"seeds": [0, 1, 2]}, {"seeds": [1, 0]}, {"names": ["relu", "tanh"]}])
def test_a_table_made_for_other_settings_is_refused(tmp_path, made_for):
    save_table(tmp_path / "t.npz", {"seeds": np.array([0, 1]), "names": np.array(["relu", "gelu"])})
    key = next(iter(made_for))
    with pytest.raises(ValueError, match=rf"t.npz was not made for this lab's {key} \(it holds .*, this lab uses "
                                         rf".*\); regenerate it with make\(\)"):
        load_table(tmp_path / "t.npz", "test", "make()", made_for=made_for)


def test_long_settings_are_cut_in_the_message(tmp_path):
    save_table(tmp_path / "t.npz", {"seeds": np.arange(100)})
    with pytest.raises(ValueError) as error:
        load_table(tmp_path / "t.npz", "test", "make()", made_for={"seeds": np.arange(99)})
    assert "..." in str(error.value) and len(str(error.value)) < 300
