enum _KilpiMailPlaceholder {}
