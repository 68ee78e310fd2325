/* USDT probes through <sys/sdt.h>. */
#include <stdio.h>
#include <sys/sdt.h>

int main(int argc, char **argv)
{
	long len = 42;
	int fd = argc;
	DTRACE_PROBE(myapp, start);
	DTRACE_PROBE2(myapp, request, fd, len);
	DTRACE_PROBE3(myapp, reply, fd, len, (char)argc);
	DTRACE_PROBE1(other, tick, len);
	DTRACE_PROBE2(myapp, request, fd, len);
	puts(argv[0]);
	return 0;
}
