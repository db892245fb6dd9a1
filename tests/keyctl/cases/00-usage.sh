# The dispatcher: no command, unknown and abbreviated commands, --version.
k
k ''
k nosuchcommand
k sh
k showx
k SHOW
k --vers
k --version
k --version extra args
k --test
k --test nosuch
k --test limits extra
