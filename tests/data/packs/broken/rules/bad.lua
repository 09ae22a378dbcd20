rule{ id = "dup", match = re"sanction" }
rule{ id = "dup", match = re"embargo" }
rule{ id = "badpattern", match = re"(unclosed" }
rule{ id = "badfield", match = re"x", colour = "red" }
