#!/usr/bin/python3
"""Train small scikit-learn models and export them to ONNX by hand (no skl2onnx).

Run from the repository root:

    /usr/bin/python3 tools/train_models.py

Writes (overwriting):
  models/iris/1/model.onnx          StandardScaler + multinomial LogisticRegression
  models/iris/2/model.onnx          RandomForestClassifier as ai.onnx.ml TreeEnsembleClassifier
  models/diabetes/1/model.onnx      StandardScaler + Ridge regression
  models/digits/1/model.onnx        MLPClassifier (one relu hidden layer) on 8x8 digits
  src/test/resources/reference/{iris-1,iris-2,diabetes-1,digits-1}.json
  src/test/resources/test-models/dtypes/1/model.onnx
  src/test/resources/test-models/fixed/1/model.onnx
  src/test/resources/test-models/sequence/1/model.onnx

Everything is deterministic (fixed random_state). Graphs use opset 13 (+ ai.onnx.ml 3 where
needed) and IR version 8. Every model is checked with onnx.checker; if the Python package
onnxruntime is importable, ORT outputs are also compared with scikit-learn's (tolerance 1e-5).
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_diabetes, load_digits, load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
MODELS = os.path.join(ROOT, "models")
REFERENCE = os.path.join(ROOT, "src", "test", "resources", "reference")
TEST_MODELS = os.path.join(ROOT, "src", "test", "resources", "test-models")

SEED = 42
IR_VERSION = 8
OPSET = 13
ML_OPSET = 3
PRODUCER = "onnx-serving tools/train_models.py"
TOLERANCE = 1e-5
BATCH = "batch"

IRIS_FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
IRIS_LABELS = ["setosa", "versicolor", "virginica"]
DIABETES_FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
DIGITS_LABELS = [str(i) for i in range(10)]

# name -> (path, [(input name, numpy array fed to ORT)], {output name: expected array}, label outputs)
WRITTEN = []
SUMMARY = []


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name=name)


def make_model(graph, metadata=None, ml=False, doc=""):
    opsets = [helper.make_opsetid("", OPSET)]
    if ml:
        opsets.append(helper.make_opsetid("ai.onnx.ml", ML_OPSET))
    model = helper.make_model(graph, opset_imports=opsets, producer_name=PRODUCER,
                              producer_version="1", doc_string=doc)
    model.ir_version = IR_VERSION
    if metadata:
        for key, value in metadata.items():
            entry = model.metadata_props.add()
            entry.key = key
            entry.value = value
    onnx.checker.check_model(model, full_check=True)
    return model


def save_model(model, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    onnx.save_model(model, path)
    onnx.checker.check_model(path, full_check=True)
    print("wrote %s (%d bytes)" % (os.path.relpath(path, ROOT), os.path.getsize(path)))


def save_json(obj, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        # json writes floats with repr(): the shortest string that round-trips the double exactly
        json.dump(obj, handle, indent=1, allow_nan=False)
        handle.write("\n")
    print("wrote %s (%d bytes)" % (os.path.relpath(path, ROOT), os.path.getsize(path)))


def floats(array):
    return [[float(v) for v in row] for row in np.asarray(array, dtype=np.float64)]


def classifier_graph_tail(nodes, logits_or_proba, n_classes, softmax):
    """Append Softmax (optional) + ArgMax and return the two classifier outputs."""
    if softmax:
        nodes.append(helper.make_node("Softmax", [logits_or_proba], ["probabilities"], axis=1))
    else:
        nodes.append(helper.make_node("Identity", [logits_or_proba], ["probabilities"]))
    nodes.append(helper.make_node("ArgMax", ["probabilities"], ["label"], axis=1, keepdims=0))
    return [
        helper.make_tensor_value_info("label", TensorProto.INT64, [BATCH]),
        helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [BATCH, n_classes]),
    ]


def down_to_float32(threshold):
    """Largest float32 <= threshold, so that (float32 x <= t) == (x <= threshold) exactly."""
    t32 = np.float32(threshold)
    if float(t32) > threshold:
        t32 = np.nextafter(t32, np.float32(-np.inf))
    return float(t32)


# ---------------------------------------------------------------------------------------------
# iris
# ---------------------------------------------------------------------------------------------

def iris_split():
    data = load_iris()
    x_train, x_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=30, stratify=data.target, random_state=SEED)
    return x_train, x_test, y_train, y_test


def iris_v1(split):
    x_train, x_test, y_train, y_test = split
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=SEED))
    pipe.fit(x_train, y_train)
    scaler, lr = pipe[0], pipe[1]
    assert lr.coef_.shape == (3, 4)  # multinomial (lbfgs, 3 classes)

    nodes = [
        helper.make_node("Sub", ["input", "mean"], ["centered"]),
        helper.make_node("Div", ["centered", "scale"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "coef"], ["product"]),
        helper.make_node("Add", ["product", "intercept"], ["logits"]),
    ]
    outputs = classifier_graph_tail(nodes, "logits", 3, softmax=True)
    initializers = [
        const("mean", scaler.mean_.astype(np.float32)),
        const("scale", scaler.scale_.astype(np.float32)),
        const("coef", lr.coef_.T.astype(np.float32)),
        const("intercept", lr.intercept_.astype(np.float32)),
    ]
    graph = helper.make_graph(
        nodes, "iris_logistic_regression",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [BATCH, 4])],
        outputs, initializers)
    model = make_model(graph, {"feature_names": ",".join(IRIS_FEATURES),
                               "labels": ",".join(IRIS_LABELS)},
                       doc="Iris: StandardScaler + multinomial LogisticRegression (scikit-learn)")
    finish_classifier("iris", 1, model, pipe, x_test, y_test, x_test, IRIS_LABELS, IRIS_FEATURES,
                      "StandardScaler + LogisticRegression(multinomial)")


def iris_v2(split):
    x_train, x_test, y_train, y_test = split
    forest = RandomForestClassifier(n_estimators=20, max_depth=4, random_state=SEED)
    forest.fit(x_train, y_train)
    model = forest_to_onnx(forest, n_features=4)
    finish_classifier("iris", 2, model, forest, x_test, y_test, x_test, IRIS_LABELS, IRIS_FEATURES,
                      "RandomForestClassifier(20 trees, max_depth 4)")


def forest_to_onnx(forest, n_features):
    classes = [int(c) for c in forest.classes_]
    assert classes == list(range(len(classes)))
    n_classes = len(classes)
    n_trees = len(forest.estimators_)
    attrs = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values",
                             "nodes_modes", "nodes_truenodeids", "nodes_falsenodeids",
                             "class_treeids", "class_nodeids", "class_ids", "class_weights"]}
    for tree_id, estimator in enumerate(forest.estimators_):
        tree = estimator.tree_
        for node_id in range(tree.node_count):
            left, right = int(tree.children_left[node_id]), int(tree.children_right[node_id])
            attrs["nodes_treeids"].append(tree_id)
            attrs["nodes_nodeids"].append(node_id)
            if left == -1:  # leaf
                attrs["nodes_featureids"].append(0)
                attrs["nodes_values"].append(0.0)
                attrs["nodes_modes"].append("LEAF")
                attrs["nodes_truenodeids"].append(0)
                attrs["nodes_falsenodeids"].append(0)
                counts = tree.value[node_id][0]
                proba = counts / counts.sum()  # what DecisionTreeClassifier.predict_proba returns
                for class_id in range(n_classes):  # weights for every class (no binary shortcut)
                    attrs["class_treeids"].append(tree_id)
                    attrs["class_nodeids"].append(node_id)
                    attrs["class_ids"].append(class_id)
                    attrs["class_weights"].append(float(proba[class_id] / n_trees))
            else:
                # sklearn: go left when float32(x) <= threshold (a double)
                attrs["nodes_featureids"].append(int(tree.feature[node_id]))
                attrs["nodes_values"].append(down_to_float32(tree.threshold[node_id]))
                attrs["nodes_modes"].append("BRANCH_LEQ")
                attrs["nodes_truenodeids"].append(left)
                attrs["nodes_falsenodeids"].append(right)
    nodes = [helper.make_node(
        "TreeEnsembleClassifier", ["input"], ["forest_label_unused", "forest_probabilities"],
        domain="ai.onnx.ml", classlabels_int64s=classes, post_transform="NONE", **attrs)]
    outputs = classifier_graph_tail(nodes, "forest_probabilities", n_classes, softmax=False)
    graph = helper.make_graph(
        nodes, "iris_random_forest",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [BATCH, n_features])],
        outputs, [])
    return make_model(graph, {"feature_names": ",".join(IRIS_FEATURES),
                              "labels": ",".join(IRIS_LABELS)}, ml=True,
                      doc="Iris: RandomForestClassifier (scikit-learn), probabilities = mean of trees")


def finish_classifier(name, version, model, estimator, x_sklearn, y_true, rows, labels,
                      feature_names, description, ort_input=None, input_name="input"):
    proba = estimator.predict_proba(x_sklearn)
    predicted = estimator.predict(x_sklearn)
    assert np.array_equal(predicted, np.argmax(proba, axis=1))
    accuracy = accuracy_score(y_true, predicted)
    path = os.path.join(MODELS, name, str(version), "model.onnx")
    save_model(model, path)
    reference = {"model": name, "version": version}
    if feature_names is not None:
        reference["feature_names"] = feature_names
    reference["rows"] = rows if isinstance(rows, list) else floats(rows)
    reference["expected"] = {
        "labels": [labels[int(i)] for i in predicted],
        "probabilities": floats(proba),
        "true_labels": [labels[int(i)] for i in y_true],
    }
    save_json(reference, os.path.join(REFERENCE, "%s-%d.json" % (name, version)))
    feed = ort_input if ort_input is not None else np.asarray(rows, dtype=np.float32)
    WRITTEN.append((path, {input_name: feed},
                    {"probabilities": proba, "label": predicted.astype(np.int64)}))
    SUMMARY.append("%s/%d %s: test accuracy %.4f (%d/%d)" % (
        name, version, description, accuracy, int((predicted == y_true).sum()), len(y_true)))


# ---------------------------------------------------------------------------------------------
# diabetes
# ---------------------------------------------------------------------------------------------

def diabetes_v1():
    data = load_diabetes()
    # The model's input is FLOAT: round the features to float32 once, so that scikit-learn is
    # trained on and predicts from exactly the values that the ONNX model (and the reference rows)
    # see. The graph computes in double and rounds only the final value to float32.
    x = data.data.astype(np.float32).astype(np.float64)
    x_train, x_test, y_train, y_test = train_test_split(x, data.target, test_size=40,
                                                        random_state=SEED)
    pipe = make_pipeline(StandardScaler(), Ridge(alpha=1.0))
    pipe.fit(x_train, y_train)
    scaler, ridge = pipe[0], pipe[1]
    predicted = pipe.predict(x_test)
    r2 = r2_score(y_test, predicted)

    nodes = [
        helper.make_node("Cast", ["input"], ["input_double"], to=TensorProto.DOUBLE),
        helper.make_node("Sub", ["input_double", "mean"], ["centered"]),
        helper.make_node("Div", ["centered", "scale"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "coef"], ["product"]),
        helper.make_node("Add", ["product", "intercept"], ["value_double"]),
        helper.make_node("Cast", ["value_double"], ["value"], to=TensorProto.FLOAT),
    ]
    initializers = [
        const("mean", scaler.mean_.astype(np.float64)),
        const("scale", scaler.scale_.astype(np.float64)),
        const("coef", ridge.coef_.reshape(10, 1).astype(np.float64)),
        const("intercept", np.array([ridge.intercept_], dtype=np.float64)),
    ]
    graph = helper.make_graph(
        nodes, "diabetes_ridge",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [BATCH, 10])],
        [helper.make_tensor_value_info("value", TensorProto.FLOAT, [BATCH, 1])],
        initializers)
    model = make_model(graph, {"feature_names": ",".join(DIABETES_FEATURES)},
                       doc="Diabetes progression: StandardScaler + Ridge (scikit-learn)")
    path = os.path.join(MODELS, "diabetes", "1", "model.onnx")
    save_model(model, path)
    save_json({"model": "diabetes", "version": 1, "feature_names": DIABETES_FEATURES,
               "rows": floats(x_test), "expected": {"values": [float(v) for v in predicted]}},
              os.path.join(REFERENCE, "diabetes-1.json"))
    WRITTEN.append((path, {"input": x_test.astype(np.float32)},
                    {"value": predicted.reshape(-1, 1)}))
    SUMMARY.append("diabetes/1 StandardScaler + Ridge(alpha=1): test R^2 %.4f (40 rows), "
                   "predictions %.1f..%.1f" % (r2, predicted.min(), predicted.max()))


# ---------------------------------------------------------------------------------------------
# digits
# ---------------------------------------------------------------------------------------------

def digits_v1():
    data = load_digits()
    x_raw = data.data.astype(np.int64)  # 0..16
    x_train, x_test, y_train, y_test = train_test_split(
        x_raw, data.target, test_size=100, stratify=data.target, random_state=SEED)
    mlp = MLPClassifier(hidden_layer_sizes=(32,), activation="relu", solver="adam",
                        alpha=1e-3, max_iter=500, random_state=SEED)
    mlp.fit(x_train / 16.0, y_train)
    (w1, w2), (b1, b2) = mlp.coefs_, mlp.intercepts_
    assert mlp.out_activation_ == "softmax"

    nodes = [
        helper.make_node("Reshape", ["image", "flat_shape"], ["pixels"]),
        helper.make_node("MatMul", ["pixels", "w1"], ["hidden_product"]),
        helper.make_node("Add", ["hidden_product", "b1"], ["hidden_pre"]),
        helper.make_node("Relu", ["hidden_pre"], ["hidden"]),
        helper.make_node("MatMul", ["hidden", "w2"], ["out_product"]),
        helper.make_node("Add", ["out_product", "b2"], ["logits"]),
    ]
    outputs = classifier_graph_tail(nodes, "logits", 10, softmax=True)
    initializers = [
        const("flat_shape", np.array([-1, 64], dtype=np.int64)),
        const("w1", w1.astype(np.float32)), const("b1", b1.astype(np.float32)),
        const("w2", w2.astype(np.float32)), const("b2", b2.astype(np.float32)),
    ]
    graph = helper.make_graph(
        nodes, "digits_mlp",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [BATCH, 1, 8, 8])],
        outputs, initializers)
    model = make_model(graph, {"labels": ",".join(DIGITS_LABELS)},
                       doc="8x8 digits: MLPClassifier (64-32-10, relu), pixels in [0,1] = value/16")
    rows = [[int(v) for v in row] for row in x_test]
    image = (x_test / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    finish_classifier("digits", 1, model, mlp, x_test / 16.0, y_test, rows, DIGITS_LABELS, None,
                      "MLPClassifier(64-32-10 relu)", ort_input=image, input_name="image")


# ---------------------------------------------------------------------------------------------
# test fixtures
# ---------------------------------------------------------------------------------------------

DTYPES = [
    ("f32", TensorProto.FLOAT, np.array([[1.5, -2.25], [0.0, 3.0]], dtype=np.float32)),
    ("f64", TensorProto.DOUBLE, np.array([[1.5, -2.25], [0.1, 3.0]], dtype=np.float64)),
    ("f16", TensorProto.FLOAT16, np.array([[1.5, -2.25], [0.0, 3.0]], dtype=np.float16)),
    ("i8", TensorProto.INT8, np.array([[-128, 127], [0, 1]], dtype=np.int8)),
    ("i16", TensorProto.INT16, np.array([[-32768, 32767], [0, 1]], dtype=np.int16)),
    ("i32", TensorProto.INT32, np.array([[-2147483648, 2147483647], [0, 1]], dtype=np.int32)),
    ("i64", TensorProto.INT64, np.array([[-5, 9007199254740993], [0, 1]], dtype=np.int64)),
    ("u8", TensorProto.UINT8, np.array([[0, 255], [1, 2]], dtype=np.uint8)),
    ("b", TensorProto.BOOL, np.array([[True, False], [False, True]], dtype=bool)),
    ("s", TensorProto.STRING, np.array([["a", "héllo"], ["", "x y"]], dtype=object)),
]


def dtypes_fixture():
    inputs, outputs, nodes = [], [], []
    for name, elem, _ in DTYPES:
        inputs.append(helper.make_tensor_value_info(name, elem, [BATCH, 2]))
        outputs.append(helper.make_tensor_value_info(name + "_out", elem, [BATCH, 2]))
        nodes.append(helper.make_node("Identity", [name], [name + "_out"]))
    nodes += [
        helper.make_node("Mul", ["f64", "two"], ["f64_x2"]),
        helper.make_node("Add", ["i64", "one"], ["i64_plus1"]),
        helper.make_node("Not", ["b"], ["b_not"]),
    ]
    outputs += [
        helper.make_tensor_value_info("f64_x2", TensorProto.DOUBLE, [BATCH, 2]),
        helper.make_tensor_value_info("i64_plus1", TensorProto.INT64, [BATCH, 2]),
        helper.make_tensor_value_info("b_not", TensorProto.BOOL, [BATCH, 2]),
    ]
    initializers = [const("two", np.array(2.0, dtype=np.float64)),
                    const("one", np.array(1, dtype=np.int64))]
    graph = helper.make_graph(nodes, "dtypes", inputs, outputs, initializers)
    model = make_model(graph, doc="Test fixture: Identity of every input type, plus a few ops")
    path = os.path.join(TEST_MODELS, "dtypes", "1", "model.onnx")
    save_model(model, path)
    feeds = {name: value for name, _, value in DTYPES}
    expected = {name + "_out": value for name, _, value in DTYPES}
    expected["f64_x2"] = feeds["f64"] * 2
    expected["i64_plus1"] = feeds["i64"] + 1
    expected["b_not"] = np.logical_not(feeds["b"])
    WRITTEN.append((path, feeds, expected))


def fixed_fixture():
    nodes = [helper.make_node("ReduceSum", ["input", "axes"], ["sum"], keepdims=1)]
    graph = helper.make_graph(
        nodes, "fixed_batch_sum",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("sum", TensorProto.FLOAT, [1, 1])],
        [const("axes", np.array([1], dtype=np.int64))])
    model = make_model(graph, doc="Test fixture: fixed batch of 1, sum over axis 1")
    path = os.path.join(TEST_MODELS, "fixed", "1", "model.onnx")
    save_model(model, path)
    feed = np.array([[1.0, 2.0, 3.5, -0.5]], dtype=np.float32)
    WRITTEN.append((path, {"input": feed}, {"sum": np.array([[6.0]], dtype=np.float32)}))


def sequence_fixture():
    """A tiny masked sequence encoder, shaped like a BERT embedding model, for padded-batching tests.

    input_ids, attention_mask INT64 [batch, seq] -> last_hidden_state FP32 [batch, seq, 4], pooled FP32 [batch, 4].
    Every position mixes in the masked mean of its sequence, so a padded position that the mask failed to hide
    would change the real positions' values.
    """
    rng = np.random.RandomState(SEED)
    table = rng.uniform(-1.0, 1.0, size=(16, 4)).astype(np.float32)
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["emb"], axis=0),
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "axis2"], ["mask3"]),
        helper.make_node("Mul", ["emb", "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis1"], ["summed"], keepdims=1),
        helper.make_node("ReduceSum", ["mask3", "axis1"], ["count"], keepdims=1),
        helper.make_node("Div", ["summed", "count"], ["context"]),
        helper.make_node("Add", ["emb", "context"], ["mixed"]),
        helper.make_node("Tanh", ["mixed"], ["last_hidden_state"]),
        helper.make_node("Mul", ["last_hidden_state", "mask3"], ["hidden_masked"]),
        helper.make_node("ReduceSum", ["hidden_masked", "axis1"], ["hidden_sum"], keepdims=0),
        helper.make_node("ReduceSum", ["mask3", "axis1"], ["hidden_count"], keepdims=0),
        helper.make_node("Div", ["hidden_sum", "hidden_count"], ["pooled"]),
    ]
    graph = helper.make_graph(
        nodes, "masked_sequence_encoder",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [BATCH, "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, [BATCH, "seq"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [BATCH, "seq", 4]),
         helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [BATCH, 4])],
        [const("table", table), const("axis1", np.array([1], dtype=np.int64)),
         const("axis2", np.array([2], dtype=np.int64))])
    model = make_model(graph, doc="Test fixture: masked sequence encoder (embedding + masked mean context)")
    path = os.path.join(TEST_MODELS, "sequence", "1", "model.onnx")
    save_model(model, path)
    ids = np.array([[1, 5, 9, 0], [3, 3, 0, 0]], dtype=np.int64)
    mask = (ids != 0).astype(np.int64)
    mask3 = mask[:, :, None].astype(np.float32)
    emb = table[ids]
    context = (emb * mask3).sum(axis=1, keepdims=True) / mask3.sum(axis=1, keepdims=True)
    hidden = np.tanh(emb + context)
    pooled = (hidden * mask3).sum(axis=1) / mask3.sum(axis=1)
    WRITTEN.append((path, {"input_ids": ids, "attention_mask": mask},
                    {"last_hidden_state": hidden, "pooled": pooled}))


# ---------------------------------------------------------------------------------------------
# optional verification with onnxruntime (python)
# ---------------------------------------------------------------------------------------------

def verify_with_onnxruntime():
    try:
        import onnxruntime as ort
    except ImportError:
        print("onnxruntime (python) not importable: skipped the ORT comparison "
              "(onnx.checker passed for every model)")
        return
    failures = 0
    for path, feeds, expected in WRITTEN:
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        names = list(expected)
        results = dict(zip(names, session.run(names, feeds)))
        for name in names:
            want, got = np.asarray(expected[name]), np.asarray(results[name])
            if want.shape != got.shape:
                ok, detail = False, "shape %s != %s" % (got.shape, want.shape)
            elif want.dtype.kind in "fc":
                diff = float(np.max(np.abs(got.astype(np.float64) - want.astype(np.float64))))
                ok, detail = diff <= TOLERANCE, "max |diff| %.3g" % diff
            else:
                ok, detail = bool(np.array_equal(got, want)), "exact"
            failures += not ok
            print("  ORT %s %-12s %-14s %s" % (ort.__version__, os.path.relpath(path, ROOT),
                                              name, ("ok " if ok else "FAIL ") + detail))
    if failures:
        sys.exit("ORT outputs differ from scikit-learn in %d output(s)" % failures)
    print("onnxruntime %s: every output matches scikit-learn within %g" % (ort.__version__, TOLERANCE))


def main():
    iris = iris_split()
    iris_v1(iris)
    iris_v2(iris)
    diabetes_v1()
    digits_v1()
    dtypes_fixture()
    fixed_fixture()
    sequence_fixture()
    print()
    for line in SUMMARY:
        print(line)
    verify_with_onnxruntime()


if __name__ == "__main__":
    main()
