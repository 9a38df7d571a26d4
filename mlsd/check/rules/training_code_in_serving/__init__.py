"""training-code-in-serving: training code and packages shipped in the serving unit (TCS)."""
