# chown, chgrp, setperm
key=$(kq add user p1 x @s)
k chown "$key" 0
k chown "$key" 0x0
k chown "$key" ''
k chown "$key" 5
k chown "$key" x
k chown "$key" -1
k chown 12345 0
k chown @bad x
k chgrp "$key" 5
k describe "$key"
k chgrp "$key" 0x0
k chgrp "$key" x
k chgrp "$key" 12x
k chgrp 12345 5
usage "chown" "chown a" "chown a b c" "chgrp" "chgrp a" "chgrp a b c"
k setperm "$key" 0x3f3f0000
k describe "$key"
k setperm "$key" 077
k describe "$key"
k setperm "$key" 0x3f010000
k setperm "$key" zz
k setperm "$key" -1
k setperm "$key" ''
k setperm 12345 1
k setperm @bad x
k2=$(kq add user p2 x @s)
k setperm "$k2" 4294967295
k setperm "$k2" 0x3f000000
k show
usage "setperm" "setperm a" "setperm a b c"
