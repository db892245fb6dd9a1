#!/usr/bin/env bash
# Writes the section 3 manual pages of libkeyutils-dev into DIR: one page per group of functions,
# under the names Debian's libkeyutils-dev uses, and a `.so` page for every other function (which
# dh_installman turns into a symlink). The SYNOPSIS lines are taken from include/keyutils.h, so they
# are the declarations the header really has. Usage: debian/manpages.sh DIR
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
header=$root/include/keyutils.h
mkdir -p "$dir"

# The one-line declaration of FUNCTION in our header, escaped for roff.
decl() {
	local line
	line=$(grep -E "^(extern )?[a-z_ ]+[ *]$1\(" "$header" | head -n 1 | sed 's/^extern //')
	[ -n "$line" ] || { echo "manpages.sh: $1 is not declared in keyutils.h" >&2; exit 1; }
	printf '%s\n' "$line" | sed 's/\\/\\\\/g; s/-/\\-/g'
}

errors='.SH RETURN VALUE
On success the value described above; on error \-1, with
.I errno
set by the kernel (see
.BR keyctl (2))
or, for an invalid argument the library itself rejects, to
.BR EINVAL .'
see_also='.SH SEE ALSO
.BR keyctl (1),
.BR keyctl (2),
.BR keyctl (3),
.BR keyrings (7)'

# page NAME "FUNCTION..." "SUMMARY" < BODY: BODY is the DESCRIPTION section, in roff.
page() {
	local name=$1 funcs=$2 summary=$3 f
	{
		echo ".\\\" Written for keyutils-rs, the Rust implementation of libkeyutils."
		echo ".TH ${name^^} 3 2026-11-28 \"keyutils-rs 1.6.3\" \"Linux Key Management Calls\""
		echo ".SH NAME"
		echo "$(echo "$funcs" | sed 's/ /, /g') \\- $summary"
		echo ".SH SYNOPSIS"
		echo ".nf"
		echo ".B #include <keyutils.h>"
		echo ".PP"
		for f in $funcs; do echo ".B $(decl "$f")"; done
		echo ".fi"
		echo ".PP"
		echo "Link with \\fB\\-lkeyutils\\fP."
		cat
		echo "$errors"
		echo ".SH NOTES"
		echo "This library is a Rust implementation of the library of keyutils 1.6.3, with the same"
		echo "symbols and behaviour."
		echo "$see_also"
	} > "$dir/$name.3"
	for f in $funcs; do
		[ "$f" == "$name" ] || [ "$name" == find_key_by_type_and_name ] ||
			echo ".so man3/$name.3" > "$dir/$f.3"
	done
}

page keyctl "keyctl" "the key management system call and its library" <<EOF
.SH DESCRIPTION
.BR keyctl ()
passes
.I cmd
and up to four further arguments to the
.BR keyctl (2)
system call and returns what the kernel returns.
.BR add_key (2)
and
.BR request_key (2)
are exported under their own names too.
These three symbols are weak: a program may define its own, and the library's functions never
call them.
.PP
Each command of the system call also has a function of its own, documented in its page:
.BR keyctl_get_keyring_ID (3),
.BR keyctl_join_session_keyring (3),
.BR keyctl_update (3),
.BR keyctl_revoke (3),
.BR keyctl_chown (3),
.BR keyctl_setperm (3),
.BR keyctl_describe (3),
.BR keyctl_clear (3),
.BR keyctl_link (3),
.BR keyctl_search (3),
.BR keyctl_read (3),
.BR keyctl_instantiate (3),
.BR keyctl_set_reqkey_keyring (3),
.BR keyctl_set_timeout (3),
.BR keyctl_get_security (3),
.BR keyctl_session_to_parent (3),
.BR keyctl_invalidate (3),
.BR keyctl_get_persistent (3),
.BR keyctl_dh_compute (3),
.BR keyctl_restrict_keyring (3),
.BR keyctl_pkey_query (3),
.BR keyctl_pkey_encrypt (3),
.BR keyctl_pkey_sign (3),
.BR keyctl_move (3),
.BR keyctl_capabilities (3),
.BR keyctl_watch_key (3).
The library adds
.BR recursive_key_scan (3)
and
.BR find_key_by_type_and_desc (3).
.PP
.B keyutils_version_string
holds "keyutils\\-1.6.3";
.B keyutils_build_string
the date of the build.
EOF

page keyctl_get_keyring_ID "keyctl_get_keyring_ID" "get the ID of a special keyring" <<EOF
.SH DESCRIPTION
Returns the serial number of the key or keyring
.I id
names, which may be one of the special IDs such as
.B KEY_SPEC_SESSION_KEYRING
or
.BR KEY_SPEC_USER_KEYRING .
When the special keyring does not exist yet and
.I create
is non\\-zero, it is created; otherwise the call fails with
.BR ENOKEY .
EOF

page keyctl_join_session_keyring "keyctl_join_session_keyring" "join or create a session keyring" <<EOF
.SH DESCRIPTION
Makes the keyring called
.I name
the calling thread group's session keyring, creating it if no keyring of that name can be
joined. With a NULL
.I name
a new anonymous session keyring is made. Returns the serial number of the keyring joined.
EOF

page keyctl_update "keyctl_update" "update a key's payload" <<EOF
.SH DESCRIPTION
Replaces the payload of key
.I id
with the
.I plen
bytes at
.IR payload ,
if the key type supports updating and the caller has write permission. Returns 0.
EOF

page keyctl_revoke "keyctl_revoke" "revoke a key" <<EOF
.SH DESCRIPTION
Revokes key
.IR id :
every further operation on it but unlinking fails with
.BR EKEYREVOKED .
Returns 0.
EOF

page keyctl_chown "keyctl_chown" "change the ownership of a key" <<EOF
.SH DESCRIPTION
Gives key
.I id
the user
.I uid
and the group
.IR gid ;
\\-1 leaves either as it is. Only root may change the user. Returns 0.
EOF

page keyctl_setperm "keyctl_setperm" "change the permissions mask of a key" <<EOF
.SH DESCRIPTION
Sets the permissions of key
.I id
to
.IR perm ,
an OR of the
.BR KEY_POS_* ,
.BR KEY_USR_* ,
.B KEY_GRP_*
and
.B KEY_OTH_*
bits (view, read, write, search, link, setattr). Returns 0.
EOF

page keyctl_describe "keyctl_describe keyctl_describe_alloc" "describe a key" <<EOF
.SH DESCRIPTION
.BR keyctl_describe ()
writes the description of key
.I id
into
.I buffer
as the NUL\\-terminated string "type;uid;gid;perm;description", if it fits in
.I buflen
bytes, and returns the size the whole string needs, NUL included, whether or not it fitted. A
NULL
.I buffer
with
.I buflen
0 asks for the size alone.
.PP
.BR keyctl_describe_alloc ()
fetches the whole string into a buffer from
.BR malloc (3),
stores it in
.IR *buffer ,
and returns its length without the NUL. The caller frees it.
EOF

page keyctl_clear "keyctl_clear" "empty a keyring" <<EOF
.SH DESCRIPTION
Unlinks every key from keyring
.IR ringid .
Returns 0.
EOF

page keyctl_link "keyctl_link keyctl_unlink" "link a key into a keyring, or unlink it" <<EOF
.SH DESCRIPTION
.BR keyctl_link ()
links key
.I id
into keyring
.IR ringid ,
replacing a key of the same type and description already there.
.BR keyctl_unlink ()
removes the link. Both return 0.
EOF

page keyctl_search "keyctl_search" "search a keyring tree for a key" <<EOF
.SH DESCRIPTION
Searches keyring
.I ringid
and the keyrings linked from it, depth first, for a key of type
.I type
and description
.I description
that the caller may search for. When
.I destringid
is not 0 the key found is also linked into that keyring. Returns the key's serial number.
EOF

page keyctl_read "keyctl_read keyctl_read_alloc" "read a key's payload" <<EOF
.SH DESCRIPTION
.BR keyctl_read ()
copies as much of the payload of key
.I id
as fits into the
.I buflen
bytes of
.I buffer
and returns the size of the whole payload, which may be larger than
.IR buflen .
A keyring's payload is the list of the serial numbers it links.
.PP
.BR keyctl_read_alloc ()
fetches the whole payload into a buffer from
.BR malloc (3),
with a NUL byte after it, stores it in
.IR *buffer ,
and returns the payload's length. The caller frees it.
EOF

page keyctl_instantiate \
	"keyctl_instantiate keyctl_instantiate_iov keyctl_negate keyctl_reject keyctl_assume_authority" \
	"instantiate a key that was requested" <<EOF
.SH DESCRIPTION
These are for the program that
.BR request_key (2)
runs to construct a key (see
.BR request\\-key (8)).
.BR keyctl_assume_authority ()
gives the caller the authority to instantiate key
.I key
(0 gives it up).
.BR keyctl_instantiate ()
sets the key's payload to the
.I plen
bytes at
.I payload
and
.BR keyctl_instantiate_iov ()
to the concatenation of the
.I ioc
buffers of
.IR payload_iov ;
both link the key into keyring
.I ringid
when that is not 0.
.BR keyctl_negate ()
and
.BR keyctl_reject ()
make it a negative key for
.I timeout
seconds, which requests fail with
.B ENOKEY
or with
.I error
respectively. All return 0.
EOF

page keyctl_set_reqkey_keyring "keyctl_set_reqkey_keyring" "set where requested keys are linked" <<EOF
.SH DESCRIPTION
Sets the keyring into which keys obtained by
.BR request_key (2)
are linked by default: one of the
.B KEY_REQKEY_DEFL_*
values.
.B KEY_REQKEY_DEFL_NO_CHANGE
changes nothing. Returns the previous setting.
EOF

page keyctl_set_timeout "keyctl_set_timeout" "set a key's expiry time" <<EOF
.SH DESCRIPTION
Makes key
.I key
expire
.I timeout
seconds from now; 0 removes the expiry. Returns 0.
EOF

page keyctl_get_security "keyctl_get_security keyctl_get_security_alloc" "get a key's security label" <<EOF
.SH DESCRIPTION
.BR keyctl_get_security ()
writes the security label of key
.I key
(from the active LSM; empty when there is none) into
.I buffer
as a NUL\\-terminated string, if it fits in
.I buflen
bytes, and returns the size the whole label needs, NUL included.
.PP
.BR keyctl_get_security_alloc ()
fetches it into a buffer from
.BR malloc (3),
stores it in
.IR *buffer ,
and returns its length without the NUL. The caller frees it.
EOF

page keyctl_session_to_parent "keyctl_session_to_parent" "give the caller's session keyring to its parent" <<EOF
.SH DESCRIPTION
Replaces the session keyring of the caller's parent process with the caller's own, the next
time the parent returns to user space. Both must have the same owner and the parent must be
single\\-threaded. Returns 0.
EOF

page keyctl_invalidate "keyctl_invalidate" "invalidate a key" <<EOF
.SH DESCRIPTION
Marks key
.I id
invalid: it disappears from every keyring at once and is then destroyed. Returns 0.
EOF

page keyctl_get_persistent "keyctl_get_persistent" "get a user's persistent keyring" <<EOF
.SH DESCRIPTION
Links the persistent keyring of user
.I uid
(\\-1: the caller's) into keyring
.I id
and returns its serial number. A persistent keyring outlives the user's sessions until it
expires unused.
EOF

page keyctl_dh_compute "keyctl_dh_compute keyctl_dh_compute_alloc keyctl_dh_compute_kdf" \
	"compute a Diffie\\-Hellman shared secret" <<EOF
.SH DESCRIPTION
Compute
.IR base ^ priv " mod " prime ,
the three numbers being the payloads of the user keys
.IR base ,
.I priv
and
.IR prime ,
on kernels built with Diffie\\-Hellman support.
.BR keyctl_dh_compute ()
writes the result into the
.I buflen
bytes of
.I buffer
and returns its length;
.BR keyctl_dh_compute_alloc ()
returns it in a buffer from
.BR malloc (3)
that the caller frees;
.BR keyctl_dh_compute_kdf ()
passes it through the key derivation function with hash
.I hashname
and
.IR otherinfo ,
filling
.IR buffer .
Without kernel support they fail with
.BR EOPNOTSUPP .
EOF

page keyctl_restrict_keyring "keyctl_restrict_keyring" "restrict what a keyring may link" <<EOF
.SH DESCRIPTION
Limits which keys may be linked into keyring
.IR keyring :
with both
.I type
and
.I restriction
NULL nothing may be linked any more; otherwise the key type
.I type
checks each key against
.IR restriction .
Returns 0.
EOF

page keyctl_pkey_query "keyctl_pkey_query" "query an asymmetric key" <<EOF
.SH DESCRIPTION
Fills
.I *result
with what asymmetric key
.I key_id
supports with the parameters in
.I info
(such as "enc=pkcs1 hash=sha256"): the operations, the key size and the largest data, encrypted,
decrypted and signature sizes. Returns 0.
EOF

page keyctl_pkey_encrypt "keyctl_pkey_encrypt keyctl_pkey_decrypt" "encrypt or decrypt with an asymmetric key" <<EOF
.SH DESCRIPTION
.BR keyctl_pkey_encrypt ()
encrypts the
.I data_len
bytes at
.I data
with the public part of asymmetric key
.I key_id
into the
.I enc_len
bytes at
.IR enc ;
.BR keyctl_pkey_decrypt ()
decrypts the
.I enc_len
bytes at
.I enc
with its private part into the
.I data_len
bytes at
.IR data .
Both follow the parameters in
.IR info ,
such as "enc=pkcs1", and return the length of the result.
EOF

page keyctl_pkey_sign "keyctl_pkey_sign keyctl_pkey_verify" "sign data or verify a signature with an asymmetric key" <<EOF
.SH DESCRIPTION
.BR keyctl_pkey_sign ()
signs the digest of
.I data_len
bytes at
.I data
with the private part of asymmetric key
.I key_id
into the
.I sig_len
bytes at
.I sig
and returns the signature's length.
.BR keyctl_pkey_verify ()
checks a signature with the public part and returns 0 when it matches; a mismatch fails with
.BR EKEYREJECTED .
.I info
holds the parameters, such as "enc=pkcs1 hash=sha256".
EOF

page keyctl_move "keyctl_move" "move a key between keyrings" <<EOF
.SH DESCRIPTION
Links key
.I id
into keyring
.I to_ringid
and unlinks it from
.I from_ringid
in one step. With
.B KEYCTL_MOVE_EXCL
in
.I flags
the move fails with
.B EEXIST
if the destination already holds a key of the same type and description. Returns 0.
EOF

page keyctl_capabilities "keyctl_capabilities" "ask what the kernel's key service can do" <<EOF
.SH DESCRIPTION
Fills up to
.I buflen
bytes of
.I buffer
with the
.B KEYCTL_CAPS0_*
and
.B KEYCTL_CAPS1_*
bits of the running kernel and returns the number of bytes the kernel has. On kernels older than
the command, the library finds out what it can by trying operations and reports that.
EOF

page keyctl_watch_key "keyctl_watch_key" "watch a key or keyring for changes" <<EOF
.SH DESCRIPTION
Asks the kernel to post notifications about key
.I id
to the watch queue open on
.IR watch_queue_fd ,
tagged with
.IR watch_id ;
a
.I watch_id
of \\-1 removes the watch. Kernels without key notifications fail with
.BR EOPNOTSUPP .
Returns 0.
EOF

page recursive_key_scan "recursive_key_scan recursive_session_key_scan" "walk a keyring tree" <<EOF
.SH DESCRIPTION
.BR recursive_key_scan ()
calls
.I func
for every key in the tree of keyring
.IR key ,
depth first: the members of a keyring before the keyring itself, the keyring
.I key
last.
.I func
gets the parent keyring (0 for
.IR key ),
the key, its description as
.BR keyctl_describe (3)
gives it (NULL with length \\-1 when it cannot be described), and
.IR data .
.BR recursive_session_key_scan ()
walks the session keyring. Both return the sum of what
.I func
returned.
EOF

page find_key_by_type_and_name "find_key_by_type_and_desc" "find a key by type and description" <<EOF
.SH DESCRIPTION
Finds a key of type
.I type
and description
.I desc
that the caller may view: first by
.BR request_key (2)
without a callout, then by looking through
.IR /proc/keys ,
which also shows keys outside the caller's keyrings. When
.I destringid
is not 0 the key found is linked into that keyring. Returns the key's serial number; when
there is none, \\-1 with
.I errno
set to
.BR ENOKEY .
EOF
