"""The pages people read and submit, one module per blueprint; thin: load, ask the policy,
call one operation, render."""
