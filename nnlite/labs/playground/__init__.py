"""Notebook 07: the playground, where everything of notebooks 01 to 06 comes together.

Pick a data set, a network and the training settings, press play, and watch the class
regions, the loss and accuracy on the training and validation points, the gradient reaching
every hidden layer and the units that are off for every point change as the network learns.
The test set is kept aside: a lesson looks at it once, at the end. One module per idea, each
usable and tested on its own:

* `settings`: `Settings` (what to train, checked when made) and `code_line(settings)`,
  a line of nnlite code that reproduces the run.
* `engine`: `Trainer`, one run advanced a step at a time: exactly what ``nl.fit(...)`` runs
  with the same settings, to the last bit; it keeps the weights of its best epoch (early
  stopping) and scores the test set only when asked; `run` trains one to the end. Its parts:
  `run_setup` (`RunSetup`: the settings and the points cut into three sets), `layer_stats`,
  `early_stopping` and `run_words` (its curves and its numbers in words).
* `views`: `RegionsView` (class regions and points), `LossView` (loss and accuracy) and
  `LayersView` (||dL/db|| and units off, per hidden layer), small LiveFigures that redraw in place.
* `network_view`: `NetworkView`, TensorFlow Playground's network diagram (a picture of every unit's
  output over the input plane, a line per weight; hover for a unit's formula, click a weight to edit it)
  with the large output picture beside it; its parts: `unit_pictures` (`GridPass`, one forward pass of
  the plane's grid), `network_diagram`, `output_picture`, `network_pointer` and `network_words`.
* `main_view`: `MainView`, the large view the student picks with the panel's "view" control: the
  class regions, or the network view (the other views are then drawn smaller, to fit a laptop).
* `loop`: `PlayLoop`, which trains any `Trainable` in slices on the kernel's event loop at a
  `Pace` and redraws the views in between, so that Pause is heard while Play trains.
* `panel`: `Playground` (a run, its views, Play / Step / Reset, the status line; it hands its
  run to a PlayLoop) and `playground()`, the `PlaygroundPanel` with a control for every setting;
  its parts: `controls` (the controls, one per setting, and the Settings they say), `status`
  (`StatusLine`: the state, the numbers and the code line), `confusion` (`ConfusionView`) and
  `point_marks` (how points are drawn: the class in colour and shape, the set in the fill).
* `lesson`: the notebook's still figures, results over seeds, a choice made on the validation
  set (`choose`), and its exercises; `saved`: the lesson's longest runs over seeds, saved with the course
  (`load_runs`; `train_saved` and `save_runs` train and write them again).

Memory stays bounded however long Play runs: a run keeps the per-step records of its last
MAX_STEP_RECORDS steps only, and the pictures reuse their buffers.
"""

from ..runs import spread
from .engine import MAX_STEP_RECORDS, Trainer, run
from .lesson import (
    LINEAR_DATASET,
    SEEDS,
    SMALL_CIRCLES,
    VANISHING_RATIO,
    at_best,
    best_line_accuracy,
    choose,
    error_rms,
    final,
    loss_by_answer,
    moons_bayes,
    moons_ceiling,
    overfit_gap,
    plot_curves,
    plot_gaps,
    plot_remedy,
    plot_runs,
    plot_units,
    point_losses,
    run_seeds,
)
from .loop import Pace, PlayLoop, Trainable
from .main_view import MAIN_VIEWS, MainView
from .network_view import NetworkView
from .panel import (
    BATCH_SIZES,
    MAX_UNITS,
    SPEEDS,
    WEIGHT_DECAYS,
    Playground,
    PlaygroundPanel,
    play_buttons,
    playground,
)
from .saved import EXPERIMENTS, SavedRun, load_runs, save_runs, train_saved
from .settings import (
    ACTIVATIONS,
    CLASSES,
    CLASSIFICATION,
    DATA,
    DATASETS,
    INITS,
    REGRESSION,
    TRAINING_ONLY,
    Settings,
    as_settings,
    code_line,
    default_init,
)
from .status import StatusLine, code_html, status_html
from .unit_pictures import GridPass
from .views import GRAD_LIMITS, LOSS_LIMITS, MAX_HIDDEN_LAYERS, LayersView, LossView, RegionsView, grid_probabilities

__all__ = [
    "ACTIVATIONS", "BATCH_SIZES", "CLASSES", "CLASSIFICATION", "DATA", "DATASETS", "EXPERIMENTS", "GRAD_LIMITS",
    "INITS", "LINEAR_DATASET", "LOSS_LIMITS", "MAIN_VIEWS", "MAX_HIDDEN_LAYERS", "MAX_STEP_RECORDS", "MAX_UNITS",
    "SEEDS", "SMALL_CIRCLES", "SPEEDS", "StatusLine", "TRAINING_ONLY", "VANISHING_RATIO", "WEIGHT_DECAYS", "GridPass",
    "LayersView", "LossView", "MainView", "NetworkView", "Pace",
    "PlayLoop", "Playground", "PlaygroundPanel", "REGRESSION", "RegionsView", "SavedRun", "Settings", "Trainable",
    "Trainer", "as_settings", "at_best", "best_line_accuracy", "choose", "code_html", "code_line", "default_init",
    "error_rms", "moons_bayes", "moons_ceiling", "point_losses",
    "final", "grid_probabilities", "load_runs", "loss_by_answer", "overfit_gap", "play_buttons", "playground",
    "plot_curves", "plot_gaps", "plot_remedy", "plot_runs", "plot_units", "run", "run_seeds", "save_runs", "spread",
    "status_html", "train_saved",
]
