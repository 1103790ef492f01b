/* hello.c — the benchmark's FastCGI ceiling: the same fcgi2 accept loop and process model as the CRM
 * programs (a master forking N single-threaded workers on one listening socket), no database, a tiny page.
 *
 * Usage: hello --listen unix:PATH|HOST:PORT [--workers N]   (SIGTERM stops the master and its workers) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcgiapp.h>

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static void serve(int fd)
{
	static const char body[] = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>hello</title></head><body><p>Hello</p></body></html>\n";
	FCGX_Request fr;
	char head[512];
	int hl;

	if (FCGX_InitRequest(&fr, fd, 0) != 0)
		_exit(1);
	/* the CRM's response headers, so both answers are the same size on the wire but for the body */
	hl = snprintf(head, sizeof head, "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: %lu\r\nX-Frame-Options: DENY\r\nX-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: same-origin\r\nCache-Control: no-store\r\n\r\n", (unsigned long)(sizeof body - 1));
	while (FCGX_Accept_r(&fr) >= 0) {
		FCGX_PutStr(head, hl, fr.out);
		FCGX_PutStr(body, (int)sizeof body - 1, fr.out);
		FCGX_Finish_r(&fr);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *addr = NULL;
	int workers = 2, fd;
	pid_t kids[256];
	struct sigaction sa;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--listen") && i + 1 < argc)
			addr = argv[++i];
		else if (!strcmp(argv[i], "--workers") && i + 1 < argc)
			workers = atoi(argv[++i]);
		else
			addr = NULL, i = argc;
	}
	if (!addr || workers < 1 || workers > 256) {
		fprintf(stderr, "usage: %s --listen unix:PATH|HOST:PORT [--workers N]\n", argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0)
		return 1;
	if (!strncmp(addr, "unix:", 5)) {
		unlink(addr + 5);
		fd = FCGX_OpenSocket(addr + 5, 128);
		if (fd >= 0)
			chmod(addr + 5, 0666);
	} else {
		fd = FCGX_OpenSocket(addr, 128);
	}
	if (fd < 0) {
		fprintf(stderr, "hello: cannot listen on %s: %s\n", addr, strerror(errno));
		return 1;
	}
	for (int i = 0; i < workers; i++)
		if ((kids[i] = fork()) == 0) {
			signal(SIGTERM, SIG_DFL);
			serve(fd);
		}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stopping)
		pause();
	for (int i = 0; i < workers; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	for (int i = 0; i < workers; i++)
		if (kids[i] > 0)
			waitpid(kids[i], NULL, 0);
	if (!strncmp(addr, "unix:", 5))
		unlink(addr + 5);
	return 0;
}
