// The peer for Switchyard's 'tcp' probes in the fleet-10k benchmark: the same TCP connects done
// bare, in C, with nothing around them. No packaged tool fits: nping (nmap) does the connects but
// spends about 575 µs of CPU on each (its per-probe bookkeeping and printing), takes at most 1,024
// targets and does not keep a rate of 2,000 a second, which would flatter Switchyard; raw-socket
// scanners (zmap, masscan, hping3) send SYNs without a socket and need an interface with a
// gateway, not the namespace's bare loopback. So this is the floor the probe itself sets: what
// sipmmsg's prober does for each probe (native/sipmmsg/sipmmsg.c), with no JavaScript above it.
//
//   tcp-connect-peer PORT INTERVAL_MS SECONDS < addresses (one IPv4 address a line)
//
// Every address is connected to once every INTERVAL_MS, the connects spread evenly and started in
// batches every 20 ms (the scheduler's gather), each a non-blocking socket registered with one
// epoll descriptor; a finished connect reads its error (SO_ERROR) or, connected, the kernel's
// handshake round trip (TCP_INFO) and is closed, a connected one with SO_LINGER {1, 0} so it ends
// in a reset and leaves no TIME_WAIT; a connect still open after 2 s is closed as lost. At the end
// it prints one line: connects started, connected, refused, lost.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define GATHER_MS 20
#define TIMEOUT_MS 2000
#define MAX_TARGETS 100000

typedef struct {
  int fd;
  double started;
} Slot;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static struct in_addr targets[MAX_TARGETS];
static Slot slots[MAX_TARGETS];
static long started_n, connected_n, refused_n, lost_n;

static void finish(int epfd, Slot *s, int connected) {
  if (connected) {
    struct linger reset = {1, 0};
    setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  }
  epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
  close(s->fd);
  s->fd = -1;
}

static void begin(int epfd, int i, int port) {
  Slot *s = &slots[i];
  if (s->fd >= 0) {
    finish(epfd, s, 1);
    lost_n++;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  started_n++;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr = targets[i]};
  int r;
  do r = connect(fd, (struct sockaddr *)&addr, sizeof addr);
  while (r < 0 && errno == EINTR);
  if (r < 0 && errno != EINPROGRESS) {
    refused_n++;
    close(fd);
    return;
  }
  s->fd = fd;
  s->started = now_ms();
  struct epoll_event ev = {.events = EPOLLOUT, .data = {.u32 = (uint32_t)i}};
  epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void collect(int epfd, int timeout_ms) {
  struct epoll_event events[256];
  int ready;
  do ready = epoll_wait(epfd, events, 256, timeout_ms);
  while (ready < 0 && errno == EINTR);
  for (int k = 0; k < ready; k++) {
    Slot *s = &slots[events[k].data.u32];
    int error = 0;
    socklen_t len = sizeof error;
    if ((events[k].events & (EPOLLERR | EPOLLHUP)) != 0 && getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0)
      error = errno;
    if (error == 0) {
      struct tcp_info ti;
      socklen_t ti_len = sizeof ti;
      getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &ti_len);
      connected_n++;
    } else {
      refused_n++;
    }
    finish(epfd, s, error == 0);
  }
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: tcp-connect-peer PORT INTERVAL_MS SECONDS < addresses\n");
    return 2;
  }
  int port = atoi(argv[1]);
  double interval = atof(argv[2]);
  double seconds = atof(argv[3]);
  int n = 0;
  char line[64];
  while (n < MAX_TARGETS && fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\r\n")] = 0;
    if (line[0] == 0) continue;
    if (inet_pton(AF_INET, line, &targets[n]) != 1) {
      fprintf(stderr, "tcp-connect-peer: not an IPv4 address: %s\n", line);
      return 2;
    }
    slots[n].fd = -1;
    n++;
  }
  if (n == 0 || port <= 0 || port > 65535 || interval <= 0) {
    fprintf(stderr, "tcp-connect-peer: nothing to probe\n");
    return 2;
  }
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  double t0 = now_ms();
  double end = t0 + seconds * 1e3;
  long next = 0;  // the next probe to start, counted since t0 (probe k is due at t0 + k * interval / n)
  double sweep_at = t0 + TIMEOUT_MS;
  for (;;) {
    double t = now_ms();
    if (t >= end) break;
    // Start every probe due up to now, as one batch.
    while (t0 + next * interval / n <= t) {
      begin(epfd, (int)(next % n), port);
      next++;
    }
    if (t >= sweep_at) {
      for (int i = 0; i < n; i++)
        if (slots[i].fd >= 0 && t - slots[i].started > TIMEOUT_MS) {
          finish(epfd, &slots[i], 1);
          lost_n++;
        }
      sweep_at = t + TIMEOUT_MS;
    }
    // Collect until the next batch is due.
    double wake = t + GATHER_MS;
    for (;;) {
      double left = wake - now_ms();
      if (left <= 0) break;
      collect(epfd, (int)(left + 0.999));
    }
  }
  printf("started %ld connected %ld refused %ld lost %ld\n", started_n, connected_n, refused_n, lost_n);
  return 0;
}
