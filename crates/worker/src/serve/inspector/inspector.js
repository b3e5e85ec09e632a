// The inspector page script (filled in by the inspector change).
