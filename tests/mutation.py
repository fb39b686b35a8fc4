"""Wrong answers made from a right one: every single mutation of a solution's code, with Python's ast.

`mutants(source)` lists (what changed, the mutated source) for each one-place change a student
could make: a constant perturbed (off by one, doubled, halved, negated, zeroed), an operator
swapped (+ and -, * and /, ** and *, < and <=, ...), a term or factor dropped (a sum without one
of its terms, a fraction without its normalisation), the operands of - / ** @ swapped, a minus
dropped or a sign flipped, a transpose removed or added, sum <-> mean, max <-> min, exp or log
or sqrt dropped, log <-> log10, an axis changed, range() one longer or shorter, the two branches
of np.where or the two values of a returned pair swapped, a string replaced by another option.

Some mutants are the right answer written differently (x > 0 and x >= 0 agree where both
branches give 0): the test that uses them decides which by running them, and counts them.
"""

import ast
import copy

SWAPPED = {"sum": "mean", "mean": "sum", "max": "min", "min": "max", "maximum": "minimum", "minimum": "maximum",
           "amax": "amin", "amin": "amax", "argmax": "argmin", "argmin": "argmax", "log": "log10", "log10": "log",
           "log2": "log", "exp": "expm1", "tanh": "sin"}
DROPPED = {"exp", "log", "log10", "log2", "sqrt", "tanh", "abs", "sum", "mean", "max", "min", "ceil", "floor"}
OPERATORS = {ast.Add: [ast.Sub], ast.Sub: [ast.Add], ast.Mult: [ast.Div, ast.Add], ast.Div: [ast.Mult, ast.FloorDiv],
             ast.FloorDiv: [ast.Div, ast.Mult], ast.Pow: [ast.Mult], ast.MatMult: [ast.Mult]}
ORDERED = (ast.Sub, ast.Div, ast.FloorDiv, ast.Pow, ast.MatMult, ast.Mod)  # where swapping the operands matters
COMPARISONS = {ast.Gt: [ast.GtE, ast.Lt], ast.GtE: [ast.Gt, ast.LtE], ast.Lt: [ast.LtE, ast.Gt],
               ast.LtE: [ast.Lt, ast.GtE], ast.Eq: [ast.NotEq], ast.NotEq: [ast.Eq]}


def _number_variants(value):
    """A constant, perturbed as a student's slip would: off by one, doubled, halved, negated, zero, one, x10."""
    if isinstance(value, int):
        candidates = [value + 1, value - 1, -value, 2 * value, 0, 1]
    else:
        candidates = [value + 1, value - 1, -value, 2 * value, value / 2, 0.0, 1.0, 10 * value, value / 10]
    seen, found = {value}, []
    for candidate in candidates:
        if candidate not in seen:
            seen.add(candidate)
            found.append(candidate)
    return found


def _called_name(call):
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _renamed_call(call, name):
    new = copy.deepcopy(call)
    if isinstance(new.func, ast.Attribute):
        new.func.attr = name
    else:
        new.func.id = name
    return new


def _plus(node, amount):
    return ast.BinOp(left=node, op=ast.Add() if amount > 0 else ast.Sub(), right=ast.Constant(abs(amount)))


class _Sites(ast.NodeVisitor):
    """Every place a mutation can happen: (node, [(what, replacement node), ...]), in source order."""

    def __init__(self, local_names, options):
        self.sites, self.local_names, self.options = [], local_names, options
        self.called = set()  # ids of the Name nodes that are functions being called

    def add(self, node, variants):
        if variants:
            self.sites.append((node, variants))

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bool):
            self.add(node, [(f"{value} -> {not value}", ast.Constant(not value))])
        elif isinstance(value, (int, float)):
            self.add(node, [(f"{value!r} -> {v!r}", ast.Constant(v)) for v in _number_variants(value)])
        elif isinstance(value, str):
            self.add(node, [(f"{value!r} -> {o!r}", ast.Constant(o)) for o in self.options if o != value])

    def visit_UnaryOp(self, node):
        if isinstance(node.op, (ast.USub, ast.Not)):
            self.add(node, [("minus dropped", node.operand)])
        self.generic_visit(node)

    def visit_BinOp(self, node):
        variants = [(f"{type(node.op).__name__} -> {new.__name__}",
                     ast.BinOp(left=node.left, op=new(), right=node.right)) for new in OPERATORS.get(type(node.op), [])]
        variants += [("right side dropped", node.left), ("left side dropped", node.right)]
        if isinstance(node.op, ORDERED):
            variants.append(("operands swapped", ast.BinOp(left=node.right, op=node.op, right=node.left)))
        variants.append(("sign flipped", ast.UnaryOp(op=ast.USub(), operand=node)))
        self.add(node, variants)
        self.generic_visit(node)

    def visit_Compare(self, node):
        if len(node.ops) == 1:
            self.add(node, [(f"{type(node.ops[0]).__name__} -> {new.__name__}",
                             ast.Compare(left=node.left, ops=[new()], comparators=node.comparators))
                            for new in COMPARISONS.get(type(node.ops[0]), [])])
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if node.attr == "T":
            self.add(node, [("transpose dropped", node.value)])
        self.generic_visit(node)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load) and node.id in self.local_names and id(node) not in self.called:
            self.add(node, [("transposed", ast.Attribute(value=node, attr="T", ctx=ast.Load())),
                            ("sign flipped", ast.UnaryOp(op=ast.USub(), operand=node))])

    def visit_Call(self, node):
        name = _called_name(node)
        if isinstance(node.func, ast.Name):
            self.called.add(id(node.func))
        variants = []
        if name in SWAPPED:
            variants.append((f"{name} -> {SWAPPED[name]}", _renamed_call(node, SWAPPED[name])))
        if name in DROPPED:
            inner = node.args[0] if node.args else node.func.value if isinstance(node.func, ast.Attribute) else None
            if inner is not None:
                variants.append((f"{name}() dropped", inner))
        if name == "where" and len(node.args) == 3:
            swapped = copy.deepcopy(node)
            swapped.args[1], swapped.args[2] = swapped.args[2], swapped.args[1]
            variants.append(("branches of where swapped", swapped))
        if name in ("range", "len"):
            variants += [(f"{name}() + 1", _plus(node, 1)), (f"{name}() - 1", _plus(node, -1))]
        for i, keyword in enumerate(node.keywords):
            if keyword.arg == "axis":
                dropped = copy.deepcopy(node)
                del dropped.keywords[i]
                variants.append(("axis dropped", dropped))
        self.add(node, variants)
        self.generic_visit(node)

    def visit_Return(self, node):
        if isinstance(node.value, ast.Tuple) and len(node.value.elts) == 2:
            self.add(node.value, [("returned pair swapped", ast.Tuple(elts=node.value.elts[::-1], ctx=ast.Load()))])
        self.generic_visit(node)


class _Replace(ast.NodeTransformer):
    """Put `replacement` where the `index`-th node of ast.walk's order was."""

    def __init__(self, tree, index, replacement):
        self.target, self.replacement = list(ast.walk(tree))[index], replacement

    def visit(self, node):
        if node is self.target:
            return self.replacement
        return super().visit(node)


def _local_names(tree):
    """The names a solution binds (arguments, assignment targets): the values a sign or a .T can change."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def mutants(source, options=()):
    """[(what changed, mutated source)] for every one-place change of `source`'s code, each source once.
    `options` are the strings a string constant may be replaced by (the options of a choice)."""
    tree = ast.parse(source)
    sites = _Sites(_local_names(tree), options)
    sites.visit(tree)
    order = {id(node): i for i, node in enumerate(ast.walk(tree))}
    found, seen = [], {ast.unparse(tree)}
    for node, variants in sites.sites:
        for what, replacement in variants:
            mutated = copy.deepcopy(tree)
            mutated = ast.fix_missing_locations(_Replace(mutated, order[id(node)], replacement).visit(mutated))
            text = ast.unparse(mutated)
            if text not in seen:
                seen.add(text)
                found.append((what, text))
    return found
