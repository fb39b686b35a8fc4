"""Notebook 07's settings and run engine: Settings are checked once and name the parameter; a Trainer's
run equals nl.fit's to the last bit, and its curves are the History's numbers."""

import numpy as np
import pytest

import nnlite as nl
from nnlite.labs import playground as P


def fit_from_code_line(settings):
    namespace = {"nl": nl}
    exec(P.code_line(settings), namespace)
    return namespace


def assert_same_history(a, b):
    assert np.array_equal(a.step_loss, b.step_loss, equal_nan=True)
    assert a.epoch_loss == b.epoch_loss and a.epoch_accuracy == b.epoch_accuracy
    assert a.val_loss == b.val_loss and a.val_accuracy == b.val_accuracy
    assert (a.diverged, a.diverged_at_step) == (b.diverged, b.diverged_at_step)
    assert len(a.grad_norms) == len(b.grad_norms)
    assert all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a.grad_norms, b.grad_norms, strict=True))


# ------------------------------------------------------------------ settings

def test_settings_errors_name_the_parameter():
    with pytest.raises(ValueError, match="dataset must be one of 'spiral'"):
        P.Settings(dataset="swirl")
    with pytest.raises(TypeError, match=r"hidden must be a list of layer sizes like \[16, 16\]"):
        P.Settings(hidden=16)
    with pytest.raises(ValueError, match=r"hidden\[1\] must be >= 1, got 0"):
        P.Settings(hidden=[4, 0])
    with pytest.raises(ValueError, match=r"lr must be in \(0.0, inf\], got -0.1"):
        P.Settings(lr=-0.1)
    with pytest.raises(ValueError, match=r"test_fraction must be in \(0.0, 1.0\)"):
        P.Settings(test_fraction=1.0)
    with pytest.raises(ValueError, match="activation must be one of"):
        P.Settings(activation="swish")
    with pytest.raises(ValueError, match="weight_decay must be in"):
        P.Settings(weight_decay=-1.0)
    with pytest.raises(ValueError, match=r"unknown keys \['hiden'\]"):
        P.as_settings({"hiden": [3]})
    with pytest.raises(TypeError, match="settings must be a dict"):
        P.as_settings("relu")
    assert P.Settings(hidden=[8, 4]).hidden == (8, 4) and P.Settings(dataset="blobs", hidden=[]).sizes == [2, 3]


def test_settings_name_what_changed():
    default = P.Settings()
    assert default.changes(P.Settings()) == set()
    assert default.changes(default.replace(lr=0.3, epochs=10)) == {"lr", "epochs"}
    assert set(P.DATA) | set(P.TRAINING_ONLY) <= set(default.__dataclass_fields__)


def test_default_init_follows_the_activation():
    assert [P.default_init(a) for a in P.ACTIVATIONS] == ["he", "he", "xavier", "xavier", "he", "he", "xavier"]
    assert P.Settings(activation="tanh").init_name == "xavier" and P.Settings(init="normal").init_name == "normal"
    assert 'init="xavier"' in P.code_line(P.Settings(activation="sigmoid"))
    assert "weight_decay" not in P.code_line(P.Settings()) and "weight_decay=0.001" in P.code_line(
        P.Settings(weight_decay=1e-3))


def test_classes_match_the_data_makers():
    for name, k in P.CLASSES.items():
        assert int(nl.datasets.make(name, n=60)[1].max()) + 1 == k


# ------------------------------------------------------------------ the run equals nl.fit

@pytest.mark.parametrize("settings", [
    P.Settings(epochs=20),
    P.Settings(dataset="xor", hidden=(4,), activation="tanh", init="xavier", batch_size=1, lr=0.05, epochs=3),
    P.Settings(dataset="blobs", hidden=(), activation="identity", batch_size=256, noise=0.5, epochs=15),
    P.Settings(dataset="moons", hidden=(32,) * 6, lr=1.0, epochs=20),  # diverges in the first epoch
    P.Settings(dataset="moons", activation="sigmoid", weight_decay=0.01, epochs=5),  # init auto: xavier
], ids=["spiral", "xor-batch-1", "blobs-linear-full-batch", "diverges", "sigmoid-weight-decay"])
def test_code_line_reproduces_the_playground_run_exactly(settings):
    trainer = P.Trainer(settings).run()
    namespace = fit_from_code_line(settings)
    assert_same_history(trainer.history, namespace["history"])
    for mine, theirs in zip(trainer.model.layers, namespace["model"].layers, strict=True):
        assert np.array_equal(mine.W, theirs.W, equal_nan=True) and np.array_equal(mine.b, theirs.b, equal_nan=True)
    if not trainer.diverged:
        loss, accuracy = nl.evaluate(namespace["model"], namespace["X_test"], namespace["y_test"])
        assert (loss, accuracy) == (trainer.latest()["test_loss"], trainer.latest()["test_accuracy"])


def test_curves_are_the_models_numbers_after_every_epoch():
    """Epoch 0 is the untrained network; then the History's test numbers and training accuracy, and the
    trained model's loss on the training points (not the mean of the epoch's mini-batch losses)."""
    settings = P.Settings(epochs=4)
    trainer = P.Trainer(settings).run()
    namespace = {"nl": nl}
    exec(P.code_line(settings.replace(epochs=0)), namespace)  # the same data and first weights, untrained
    model, data = namespace["model"], [namespace[k] for k in ("X_train", "y_train", "X_test", "y_test")]
    after = [(*nl.evaluate(model, *data[:2]), *nl.evaluate(model, *data[2:]))]
    nl.fit(model, *data[:2], epochs=4, batch_size=16, lr=0.1, seed=0,
           callback=lambda epoch, h: after.append((*nl.evaluate(model, *data[:2]), *nl.evaluate(model, *data[2:]))))
    train_loss, train_accuracy, test_loss, test_accuracy = (list(column) for column in zip(*after, strict=True))
    assert trainer.curves == {"train_loss": train_loss, "test_loss": test_loss, "train_accuracy": train_accuracy,
                              "test_accuracy": test_accuracy}
    assert trainer.curves["test_loss"][1:] == trainer.history.val_loss
    assert trainer.curves["train_loss"][1:] != trainer.history.epoch_loss  # the running mean is another number
    assert trainer.latest() == {"epoch": 4, **{key: values[-1] for key, values in trainer.curves.items()}}


def test_long_runs_keep_bounded_records():
    trainer = P.Trainer(P.Settings(epochs=6), max_step_records=40).run()  # 15 steps per epoch, 90 in all
    full = P.run(epochs=6)
    assert trainer.history.steps == 90 and len(trainer.history.step_loss) == len(trainer.history.grad_norms) == 40
    assert trainer.history.step_loss == full.history.step_loss[-40:]
    np.testing.assert_allclose(trainer.layer_grad_norms[-1], np.mean(full.history.grad_norms[-15:], axis=0),
                               rtol=1e-12)  # each layer's norm averaged over the last epoch's steps
    assert trainer.curves == full.curves


def test_step_semantics_and_a_raised_end():
    trainer = P.Trainer(P.Settings(epochs=2))
    assert trainer.step() and trainer.steps == 1 and trainer.epoch == 0
    trainer.run_epoch()
    assert trainer.epoch == 1 and trainer.steps == 15 == trainer.steps_per_epoch
    trainer.run()
    assert trainer.done and not trainer.step() and trainer.steps == 30
    assert trainer.continue_with(trainer.settings.replace(epochs=3)) is trainer  # raise the end: the run goes on
    assert not trainer.done and trainer.run().epoch == 3 and trainer.settings.epochs == 3
    assert trainer.summary().startswith("epoch 3 of 3: loss train ")
    with pytest.raises(ValueError, match=r"only in epochs, not in \['lr'\]"):
        trainer.continue_with(trainer.settings.replace(lr=0.5, epochs=4))
    assert trainer.settings.epochs == 3


def test_divergence_is_said_in_words():
    blown = P.Trainer(P.Settings(dataset="moons", hidden=(32,) * 6, lr=1.0, epochs=20)).run()
    assert blown.diverged and blown.done and blown.history.diverged_at_step == 8 and blown.epoch == 0
    assert blown.summary() == ("Training diverged in epoch 1 (step 8): the loss is no longer a finite number. The "
                               "learning rate 1 is too large for this network; try a smaller one, such as 0.1.")
