"""Rewrite the scikit-learn ONNX-ML operators of a linear pipeline into standard ONNX operators.

skl2onnx exports `StandardScaler + LogisticRegression` as the `ai.onnx.ml` operators
`Scaler -> LinearClassifier -> Normalizer`, which onnxruntime's quantisation cannot touch (it
quantises standard operators such as `MatMul`). The rewrite keeps the inputs, the outputs
(`label`, `probabilities`) and the maths, so the float result is the same up to rounding:

    Scaler(offset, scale)       ->  Sub(offset), Mul(scale)
    LinearClassifier(W, b)      ->  MatMul(W^T), Add(b), Softmax | Sigmoid | nothing,
                                    label = Gather(class labels, ArgMax)
    Normalizer(norm="L1")       ->  Div(x, ReduceL1(x))

Any other operator is refused with `LoweringError` (export the model unquantised instead).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
from onnx import helper, numpy_helper

ML_DOMAIN = "ai.onnx.ml"
OPSET = 17  # ReduceL1 still takes `axes` as an attribute
POST_TRANSFORMS = {"NONE": None, "SOFTMAX": "Softmax", "LOGISTIC": "Sigmoid"}


class LoweringError(Exception):
    """The model has an operator (or option) this rewrite does not know."""


def _attrs(node: onnx.NodeProto) -> dict[str, Any]:
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []

    def const(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(value, name=name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output


def _scaler(b: _Builder, node: onnx.NodeProto, n: int) -> None:
    attrs = _attrs(node)
    offset = np.asarray(attrs.get("offset", [0.0]), dtype=np.float32)
    scale = np.asarray(attrs.get("scale", [1.0]), dtype=np.float32)
    centred = b.node("Sub", [node.input[0], b.const(f"scaler{n}_offset", offset)], f"scaler{n}_sub")
    b.node("Mul", [centred, b.const(f"scaler{n}_scale", scale)], node.output[0])


def _linear_classifier(b: _Builder, node: onnx.NodeProto, n: int) -> None:
    attrs = _attrs(node)
    labels = attrs.get("classlabels_ints")
    if not labels:
        raise LoweringError("LinearClassifier with string class labels is not supported")
    post = attrs.get("post_transform", b"NONE")
    post = post.decode() if isinstance(post, bytes) else str(post)
    if post not in POST_TRANSFORMS:
        raise LoweringError(f"LinearClassifier post_transform {post} is not supported")
    classes = len(labels)
    coefficients = np.asarray(attrs["coefficients"], dtype=np.float32)
    if coefficients.size % classes or classes < 3:
        # binary models keep one row of weights and derive the second class: not rewritten
        raise LoweringError("only multi-class LinearClassifier models are supported")
    weights = coefficients.reshape(classes, -1).T.copy()
    intercepts = np.asarray(attrs.get("intercepts", [0.0] * classes), dtype=np.float32)
    scores = b.node("MatMul", [node.input[0], b.const(f"linear{n}_weights", weights)], f"l{n}_mm")
    scores = b.node("Add", [scores, b.const(f"linear{n}_intercepts", intercepts)], f"l{n}_add")
    transform = POST_TRANSFORMS[post]
    if transform == "Softmax":
        b.node("Softmax", [scores], node.output[1], axis=-1)
    elif transform == "Sigmoid":
        b.node("Sigmoid", [scores], node.output[1])
    else:
        b.node("Identity", [scores], node.output[1])
    best = b.node("ArgMax", [node.output[1]], f"l{n}_argmax", axis=1, keepdims=0)
    class_ids = b.const(f"linear{n}_labels", np.asarray(labels, dtype=np.int64))
    b.node("Gather", [class_ids, best], node.output[0], axis=0)


def _normalizer(b: _Builder, node: onnx.NodeProto, n: int) -> None:
    norm = _attrs(node).get("norm", b"MAX")
    norm = norm.decode() if isinstance(norm, bytes) else str(norm)
    if norm != "L1":
        raise LoweringError(f"Normalizer norm {norm} is not supported")
    total = b.node("ReduceL1", [node.input[0]], f"norm{n}_l1", axes=[1], keepdims=1)
    b.node("Div", [node.input[0], total], node.output[0])


REWRITES = {"Scaler": _scaler, "LinearClassifier": _linear_classifier, "Normalizer": _normalizer}


def lower(model: onnx.ModelProto) -> onnx.ModelProto:
    """A copy of `model` that uses only standard ONNX operators (opset 17)."""
    builder = _Builder()
    for n, node in enumerate(model.graph.node):
        if node.domain == ML_DOMAIN:
            rewrite = REWRITES.get(node.op_type)
            if rewrite is None:
                raise LoweringError(f"no standard-operator rewrite for {node.op_type}")
            rewrite(builder, node, n)
        else:
            builder.nodes.append(node)
    graph = helper.make_graph(
        builder.nodes,
        model.graph.name,
        list(model.graph.input),
        list(model.graph.output),
        initializer=list(model.graph.initializer) + builder.initializers,
    )
    lowered = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="edge-lowering"
    )
    lowered.ir_version = model.ir_version
    onnx.checker.check_model(lowered, full_check=True)
    return lowered
