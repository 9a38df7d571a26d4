"""Model code shared by training and serving: the request schema and the ONNX predictor."""
