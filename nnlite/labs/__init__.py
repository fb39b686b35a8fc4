"""One module per notebook: the computations, views and panels that make it interactive.

Each lab follows the same three pieces (see ``nnlite.widgets``): pure functions that
compute, a view that draws, and a function that wires them to controls. Labs import
matplotlib and ipywidgets; the core of nnlite does not.
"""
