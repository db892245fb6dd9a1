# session: join a new anonymous/named session keyring and run a program.
k rdescribe @s
k session - "$KEYCTL" rdescribe @s
k session - bash -c '"$KEYCTL" rdescribe @s; "$KEYCTL" id @s; exit 3'
k session - bash -c '"$KEYCTL" show @s'
k session "ses.$TAG" "$KEYCTL" rdescribe @s
k session "ses.$TAG" bash -c '"$KEYCTL" session "ses.$TAG" "$KEYCTL" id @s; "$KEYCTL" id @s'
k session - "$KEYCTL" session - "$KEYCTL" describe @s
echo '"$KEYCTL" rdescribe @s; echo from-shell' | k session
echo 'echo shell-with-dash' | k session -
echo 'echo named-shell; "$KEYCTL" rdescribe @s' | k session "shell.$TAG"
SHELL=/nonexistent/shell k session -
(unset SHELL; echo 'echo binsh' | k session -)
k session - /nonexistent/program arg
k session - ./not-executable-here
k session - ''
k session '' true
