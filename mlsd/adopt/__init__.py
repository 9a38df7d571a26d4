"""`mlsd adopt`: a repository mlsd did not write becomes one it can add patterns to.

The repository's own files stay the user's: the merge base holds only what mlsd writes (its
folder, by default `prediction-gateway/`, and the block it adds to a shared file such as the
compose file or a CI workflow), so `add`, `remove` and `upgrade` merge three ways as in any
project. Layers, each importing only the ones before it: `options` (what `.mlsd/answers.yaml`
records), `resolve` (which patterns fit an adopted repository, from the manifests' `adoptable`
key), `shared` (the marked blocks in the repository's shared files), `render` (the adopted
folder and the shared files), `verb` (the `mlsd adopt` command itself).
"""
