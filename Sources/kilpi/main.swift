print("kilpi")
