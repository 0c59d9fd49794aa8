"""The compiler: eval expressions, search terms and aggregations turned into Python callables
over events, once per search. Above the value rules (runtime) and the function registries."""
