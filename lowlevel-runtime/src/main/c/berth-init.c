/* berth-init: executes the init plan that berth-runtime sends it (see docs/init-protocol.md). */
#include <stdio.h>

int main(void)
{
	fputs("berth-init: not built yet\n", stderr);
	return 1;
}
