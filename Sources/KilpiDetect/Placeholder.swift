enum _KilpiDetectPlaceholder {}
