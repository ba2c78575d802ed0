-- an sql payload: not ours
SELECT 1;
