"""A playground run's numbers: its curves (`run_curves`) and, in one line of words for the status line and
for a lesson's print (`run_words`), where it got to, or why training stopped (with what to try instead)."""


def run_curves(history, first):
    """Loss and accuracy on the training and validation points after every epoch, epoch 0 (before training,
    `first`: train loss, train accuracy, validation loss, validation accuracy) first, from a run's History:
    {"train_loss": [...], "val_loss": ..., "train_accuracy": ..., "val_accuracy": ...}. train_loss is the
    model's loss on all the training points as the epoch ends (History.train_loss), not epoch_loss, the mean
    of the epoch's mini-batch losses taken while the weights moved."""
    train_loss, train_accuracy, val_loss, val_accuracy = first
    h = history
    train = [train_accuracy, *h.epoch_accuracy] if h.epoch_accuracy or train_accuracy is not None else [None] * (
        len(h.train_loss) + 1)  # a regression has no accuracy: None for every epoch
    return {"train_loss": [train_loss, *h.train_loss], "val_loss": [val_loss, *h.val_loss],
            "train_accuracy": train, "val_accuracy": [val_accuracy, *h.val_accuracy]}


def run_words(trainer):
    """'epoch 200 of 200: loss train 0.014, validation 0.043; accuracy train 99.6%, validation 98.3%', or,
    for a run that blew up, in which epoch and step, and a smaller learning rate to try."""
    settings, r = trainer.settings, trainer.latest()
    if trainer.diverged:
        lr = settings.lr
        return (f"Training diverged in epoch {trainer.epoch + 1} (step {trainer.history.steps}): the loss is no "
                f"longer a finite number. The learning rate {lr:g} is too large for this network; "
                f"try a smaller one, such as {lr / 10:g}.")
    reached = f" (reached the target validation loss {settings.target_loss:g})" if trainer.reached_target else ""
    words = (f"epoch {r['epoch']} of {settings.epochs}{reached}: loss train {r['train_loss']:.3f}, "
             f"validation {r['val_loss']:.3f}")
    if settings.task == "regression":  # no accuracy: the loss is the mean squared error
        return words + " (mean squared error)"
    return words + f"; accuracy train {r['train_accuracy']:.1%}, validation {r['val_accuracy']:.1%}"
