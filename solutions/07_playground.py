"""Solutions of 07_playground.ipynb, one per exercise cell, in order."""

SOLUTIONS = [
    'linear_dataset = "blobs"',
    'my_settings = {"hidden": [3], "activation": "relu"}',
    """trainer = playground.Trainer(playground.Settings(dataset="moons", hidden=(16,) * 6, activation="sigmoid"))
ratio = trainer.start_grad_norms[-1] / trainer.start_grad_norms[0]""",
]
