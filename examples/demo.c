/* demo: the session keyring through our libkeyutils.so.1.
 *
 * Joins a new anonymous session keyring, adds a key and a named keyring to it, prints the tree
 * with recursive_session_key_scan, then forks a child that joins a new session of its own and
 * hands it to us (its parent) with keyctl_session_to_parent.
 */
#define _GNU_SOURCE
#include <keyutils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int print_key(key_serial_t parent, key_serial_t key, char *desc, int desc_len, void *data)
{
	(void)data;
	printf("  %d -> %d  %.*s\n", parent, key, desc_len > 0 ? desc_len : 0, desc ? desc : "");
	return 1;
}

static void which_library(void)
{
	char line[4096];
	FILE *maps = fopen("/proc/self/maps", "r");
	while (maps && fgets(line, sizeof(line), maps)) {
		char *path = strchr(line, '/');
		if (path && strstr(path, "libkeyutils")) {
			printf("library: %s", path);
			break;
		}
	}
	if (maps)
		fclose(maps);
}

int main(void)
{
	which_library();
	printf("version: %s (built %s)\n", keyutils_version_string, keyutils_build_string);

	key_serial_t ses = keyctl_join_session_keyring(NULL);
	if (ses < 0) {
		perror("keyctl_join_session_keyring");
		return 1;
	}
	char *desc = NULL;
	keyctl_describe_alloc(KEY_SPEC_SESSION_KEYRING, &desc);
	printf("joined new session keyring %d: %s\n", ses, desc ? desc : "?");
	free(desc);

	key_serial_t ring = add_key("keyring", "demo-ring", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	key_serial_t key = add_key("user", "demo-key", "hello", 5, ring);
	if (ring < 0 || key < 0) {
		perror("add_key");
		return 1;
	}
	void *payload = NULL;
	int len = keyctl_read_alloc(key, &payload);
	printf("key %d holds %d bytes: %s\n", key, len, (char *)payload);
	free(payload);

	printf("session tree (members before their keyring):\n");
	int n = recursive_session_key_scan(print_key, NULL);
	printf("%d keys\n", n);

	int pipefd[2];
	if (pipe(pipefd) < 0)
		return 1;
	pid_t child = fork();
	if (child == 0) {
		key_serial_t mine = keyctl_join_session_keyring("demo-handed-to-parent");
		long r = keyctl_session_to_parent();
		if (write(pipefd[1], &mine, sizeof(mine)) != sizeof(mine))
			_exit(2);
		_exit(r == 0 ? 0 : 1);
	}
	key_serial_t handed = 0;
	int status = 0;
	if (read(pipefd[0], &handed, sizeof(handed)) != sizeof(handed) || waitpid(child, &status, 0) < 0)
		return 1;
	key_serial_t now = keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0);
	printf("child made session keyring %d and gave it to us: our session keyring is now %d (%s)\n",
	       handed, now, now == handed ? "handed over" : "NOT handed over");
	return now == handed && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
