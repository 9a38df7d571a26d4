"""edge-prediction: the model exported for devices, and the folder the server offers it from.

`layout` (standard library only) is what the serving route reads; `export`, `lowering` and
`__main__` are training-side tools (they need the `training` extra) and are never imported
by serving code.
"""
