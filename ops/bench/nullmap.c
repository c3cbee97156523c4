/*
 * nullmap: the IPC floor for the restrictd benchmark (ops/bench/run).
 *
 * A minimal Postfix socketmap responder that reads netstring requests and answers every one with
 * "NOTFOUND " without looking anything up: whatever a real socketmap server costs on top of this
 * is its own work. One thread per connection, blocking I/O, like the restrictd node, so the two
 * pay the same wake-up costs.
 *
 *   nullmap PORTFILE        listen on 127.0.0.1 on a free port, write the port to PORTFILE
 *
 * Built by ops/bench/run with `gcc -O2 -pthread` into a temp dir; not a shipped component.
 * Requests longer than 64 KiB or malformed framing close the connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE 65536

static const char REPLY[] = "9:NOTFOUND ,";

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Answers every complete netstring in buf[0..len); returns the bytes consumed or -1 on bad framing. */
static ssize_t answer(int fd, const char *buf, size_t len) {
    size_t pos = 0;
    char out[BUF_SIZE];
    size_t outlen = 0;
    for (;;) {
        size_t i = pos, n = 0;
        while (i < len && buf[i] >= '0' && buf[i] <= '9') {
            n = n * 10 + (size_t)(buf[i] - '0');
            if (n > BUF_SIZE) return -1;
            i++;
        }
        if (i == len) break;                       /* length not complete yet */
        if (i == pos || buf[i] != ':') return -1;
        if (len - i - 1 < n + 1) break;            /* payload or comma not here yet */
        if (buf[i + 1 + n] != ',') return -1;
        pos = i + 2 + n;
        if (outlen + sizeof REPLY > sizeof out) {
            if (write_all(fd, out, outlen) < 0) return -1;
            outlen = 0;
        }
        memcpy(out + outlen, REPLY, sizeof REPLY - 1);
        outlen += sizeof REPLY - 1;
    }
    if (outlen > 0 && write_all(fd, out, outlen) < 0) return -1;
    return (ssize_t)pos;
}

static void *serve(void *arg) {
    int fd = (int)(long)arg;
    char *buf = malloc(BUF_SIZE + 32);
    size_t len = 0;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    while (buf != NULL) {
        ssize_t r = read(fd, buf + len, BUF_SIZE + 32 - len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        len += (size_t)r;
        ssize_t used = answer(fd, buf, len);
        if (used < 0) break;
        memmove(buf, buf + used, len - (size_t)used);
        len -= (size_t)used;
        if (len >= BUF_SIZE + 32) break;
    }
    free(buf);
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: nullmap PORTFILE\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t alen = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 256) < 0
            || getsockname(s, (struct sockaddr *)&a, &alen) < 0) {
        perror("nullmap: bind/listen");
        return 1;
    }
    FILE *f = fopen(argv[1], "w");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    fprintf(f, "%d\n", ntohs(a.sin_port));
    fclose(f);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE) continue;
            perror("nullmap: accept");
            return 1;
        }
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 256 * 1024);
        if (pthread_create(&t, &attr, serve, (void *)(long)c) != 0) close(c);
        pthread_attr_destroy(&attr);
    }
}
