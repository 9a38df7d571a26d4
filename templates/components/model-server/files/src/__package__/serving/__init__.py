"""The model server: loads the model and answers POST /predict."""
