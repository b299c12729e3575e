// sipmmsg: the probes' native side, in two parts.
//
// UDP: one socket for the SIP OPTIONS probes that sends a batch of datagrams with one sendmmsg(2)
// and takes every datagram waiting with recvmmsg(2), so a batch of probes costs one JS -> native
// crossing and one system call each way instead of one per datagram. The socket is non-blocking:
// JavaScript calls recv() when it wants answers (after each send batch and on a short timer while
// probes are in flight). Each datagram carries the kernel's receive timestamp (SO_TIMESTAMPNS),
// handed back as its age at read time, so a round trip is timed from when the answer arrived, not
// when it was read.
//
// TCP: a connect prober for the 'tcp' probes (tcpOpen, tcpConnect, tcpPoll, tcpCancel, tcpClose):
// a non-blocking connect per probe and one epoll descriptor for all of them, read with a timeout
// of 0 when JavaScript polls (on a short timer while connects are in flight), so a probe costs a
// few system calls and no JavaScript socket, promise, timer or Error. A connected probe's round
// trip is the kernel's own measure of the handshake (TCP_INFO tcpi_rtt), so a late poll does not
// lengthen it; a connected socket is closed with SO_LINGER {1, 0}, leaving no TIME_WAIT.
//
// Neither part has a thread or an event-loop handle of its own. Written against node_api.h only
// (N-API version 8, set by scripts/build-sipmmsg.js): the ABI is stable, so the same .node file
// loads in every Node release and in Electron without their headers or a rebuild.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/** Most datagrams one send() or recv() call hands the kernel at once. */
#define MAX_BATCH 64

typedef struct {
  int fd;
  int family;
  struct sockaddr_storage *targets;
  uint32_t target_count;
  uint32_t target_capacity;
  /** Control buffers for the receive timestamps, one per slot. */
  char control[MAX_BATCH][CMSG_SPACE(sizeof(struct timespec))];
} Sock;

#define CHECK(call)                                        \
  do {                                                     \
    if ((call) != napi_ok) return throw_last(env, #call); \
  } while (0)

static napi_value throw_last(napi_env env, const char *what) {
  const napi_extended_error_info *info = NULL;
  napi_get_last_error_info(env, &info);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, "ERR_SIPMMSG", info && info->error_message ? info->error_message : what);
  return NULL;
}

/**
 * Declares `argv` holding the call's first `n` arguments (undefined for any not given) and `argc`;
 * returns from the calling function with the error thrown when they cannot be read.
 */
#define ARGS(n)         \
  size_t argc = (n);    \
  napi_value argv[(n)]; \
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL))

/** `value` as a JS number; NULL, the error thrown, when it cannot be made. */
static napi_value uint32_value(napi_env env, uint32_t value) {
  napi_value out;
  if (napi_create_uint32(env, value, &out) != napi_ok) return throw_last(env, "napi_create_uint32");
  return out;
}

/** `data` as a JS external that `finalize` frees when collected; when it cannot be made, freed at once. */
static napi_value external_value(napi_env env, void *data, napi_finalize finalize) {
  napi_value out;
  if (napi_create_external(env, data, finalize, NULL, &out) != napi_ok) {
    finalize(env, data, NULL);
    return throw_last(env, "napi_create_external");
  }
  return out;
}

static napi_value throw_errno(napi_env env, const char *what, int code) {
  char message[160];
  snprintf(message, sizeof message, "%s: %s", what, strerror(code));
  napi_throw_error(env, "ERR_SIPMMSG", message);
  return NULL;
}

static void close_sock(Sock *s) {
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
}

static void finalize_sock(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Sock *s = data;
  close_sock(s);
  free(s->targets);
  free(s);
}

/** The open socket behind argument `index`; throws when it is not one or is closed. */
static Sock *sock_arg(napi_env env, napi_value value) {
  Sock *s = NULL;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external || napi_get_value_external(env, value, (void **)&s) != napi_ok) {
    napi_throw_type_error(env, "ERR_SIPMMSG", "not a sipmmsg socket");
    return NULL;
  }
  if (s->fd < 0) {
    napi_throw_error(env, "ERR_SIPMMSG", "the socket is closed");
    return NULL;
  }
  return s;
}

/** Fills `addr` from a numeric address and port of the socket's family; 0 when it is not one. */
static socklen_t make_addr(int family, const char *ip, uint32_t port, struct sockaddr_storage *addr) {
  memset(addr, 0, sizeof *addr);
  if (family == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)addr;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, ip, &a->sin_addr) != 1) return 0;
    return sizeof *a;
  }
  struct sockaddr_in6 *a = (struct sockaddr_in6 *)addr;
  a->sin6_family = AF_INET6;
  a->sin6_port = htons((uint16_t)port);
  if (inet_pton(AF_INET6, ip, &a->sin6_addr) != 1) return 0;
  return sizeof *a;
}

static socklen_t addr_len(int family) {
  return family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

// open(family: 4 | 6, bindAddress: string, receiveBufferBytes: number): socket
static napi_value js_open(napi_env env, napi_callback_info info) {
  ARGS(3);
  int32_t version = 0;
  uint32_t rcvbuf = 0;
  char bind_ip[64] = "";
  size_t ip_len = 0;
  CHECK(napi_get_value_int32(env, argv[0], &version));
  CHECK(napi_get_value_string_utf8(env, argv[1], bind_ip, sizeof bind_ip, &ip_len));
  CHECK(napi_get_value_uint32(env, argv[2], &rcvbuf));
  int family = version == 6 ? AF_INET6 : AF_INET;

  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket", errno);
  int on = 1;
  int size = (int)rcvbuf;
  if (size > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0) {
    int code = errno;
    close(fd);
    return throw_errno(env, "SO_TIMESTAMPNS", code);
  }
  struct sockaddr_storage local;
  socklen_t local_len = make_addr(family, ip_len > 0 ? bind_ip : (family == AF_INET ? "0.0.0.0" : "::"), 0, &local);
  if (local_len == 0) {
    close(fd);
    napi_throw_type_error(env, "ERR_SIPMMSG", "bind address is not an address of the socket's family");
    return NULL;
  }
  if (bind(fd, (struct sockaddr *)&local, local_len) != 0) {
    int code = errno;
    close(fd);
    return throw_errno(env, "bind", code);
  }
  Sock *s = calloc(1, sizeof *s);
  if (!s) {
    close(fd);
    return throw_errno(env, "calloc", ENOMEM);
  }
  s->fd = fd;
  s->family = family;
  return external_value(env, s, finalize_sock);
}

// localPort(socket): number
static napi_value js_local_port(napi_env env, napi_callback_info info) {
  ARGS(1);
  Sock *s = sock_arg(env, argv[0]);
  if (!s) return NULL;
  struct sockaddr_storage local;
  socklen_t len = sizeof local;
  if (getsockname(s->fd, (struct sockaddr *)&local, &len) != 0) return throw_errno(env, "getsockname", errno);
  uint16_t port = local.ss_family == AF_INET ? ((struct sockaddr_in *)&local)->sin_port : ((struct sockaddr_in6 *)&local)->sin6_port;
  return uint32_value(env, ntohs(port));
}

// addTarget(socket, address: string, port: number): number — an index for send()
static napi_value js_add_target(napi_env env, napi_callback_info info) {
  ARGS(3);
  Sock *s = sock_arg(env, argv[0]);
  if (!s) return NULL;
  char ip[64];
  size_t ip_len = 0;
  uint32_t port = 0;
  CHECK(napi_get_value_string_utf8(env, argv[1], ip, sizeof ip, &ip_len));
  CHECK(napi_get_value_uint32(env, argv[2], &port));
  struct sockaddr_storage addr;
  if (port == 0 || port > 65535 || make_addr(s->family, ip, port, &addr) == 0) {
    napi_throw_type_error(env, "ERR_SIPMMSG", "target is not an address and port of the socket's family");
    return NULL;
  }
  if (s->target_count == s->target_capacity) {
    uint32_t capacity = s->target_capacity ? s->target_capacity * 2 : 64;
    struct sockaddr_storage *grown = realloc(s->targets, capacity * sizeof *grown);
    if (!grown) return throw_errno(env, "realloc", ENOMEM);
    s->targets = grown;
    s->target_capacity = capacity;
  }
  s->targets[s->target_count] = addr;
  return uint32_value(env, s->target_count++);
}

// send(socket, datagrams: Uint8Array[], targets: Int32Array, count: number): number sent
//
// A datagram the kernel refuses (a full send buffer, an unreachable network) is skipped and the
// rest still go: its probe ends as a loss at its deadline, as with Node's own socket.
static napi_value js_send(napi_env env, napi_callback_info info) {
  ARGS(4);
  Sock *s = sock_arg(env, argv[0]);
  if (!s) return NULL;
  napi_typedarray_type type;
  size_t target_len = 0;
  void *target_data = NULL;
  uint32_t count = 0;
  CHECK(napi_get_typedarray_info(env, argv[2], &type, &target_len, &target_data, NULL, NULL));
  CHECK(napi_get_value_uint32(env, argv[3], &count));
  if (type != napi_int32_array || count > target_len) {
    napi_throw_type_error(env, "ERR_SIPMMSG", "targets must be an Int32Array holding count indexes");
    return NULL;
  }
  const int32_t *targets = target_data;
  struct mmsghdr msgs[MAX_BATCH];
  struct iovec iov[MAX_BATCH];
  uint32_t sent = 0;
  for (uint32_t base = 0; base < count; base += MAX_BATCH) {
    uint32_t n = count - base < MAX_BATCH ? count - base : MAX_BATCH;
    memset(msgs, 0, n * sizeof msgs[0]);
    for (uint32_t i = 0; i < n; i++) {
      napi_value element;
      napi_typedarray_type element_type;
      size_t length = 0;
      void *bytes = NULL;
      int32_t index = targets[base + i];
      CHECK(napi_get_element(env, argv[1], base + i, &element));
      CHECK(napi_get_typedarray_info(env, element, &element_type, &length, &bytes, NULL, NULL));
      if (element_type != napi_uint8_array || index < 0 || (uint32_t)index >= s->target_count) {
        napi_throw_type_error(env, "ERR_SIPMMSG", "each datagram must be a Uint8Array with a known target");
        return NULL;
      }
      iov[i].iov_base = bytes;
      iov[i].iov_len = length;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &s->targets[index];
      msgs[i].msg_hdr.msg_namelen = addr_len(s->family);
    }
    uint32_t done = 0;
    while (done < n) {
      int r = sendmmsg(s->fd, msgs + done, n - done, MSG_DONTWAIT);
      if (r > 0) {
        done += (uint32_t)r;
        sent += (uint32_t)r;
      } else if (r < 0 && errno == EINTR) {
        continue;
      } else {
        done += 1; // the first one failed: skip it, send the rest
      }
    }
  }
  return uint32_value(env, sent);
}

// recv(socket, into: Uint8Array, meta: Float64Array): number of datagrams read
//
// `into` is cut into equal slots, one per pair in `meta`; datagram i lands at i * slot, and
// meta[2i] is its length (-1 when it did not fit its slot and was cut: the caller drops it) and
// meta[2i + 1] how many milliseconds ago the kernel received it. Fewer than the slots means the
// socket is drained.
static napi_value js_recv(napi_env env, napi_callback_info info) {
  ARGS(3);
  Sock *s = sock_arg(env, argv[0]);
  if (!s) return NULL;
  napi_typedarray_type into_type, meta_type;
  size_t into_len = 0, meta_len = 0;
  void *into = NULL, *meta_data = NULL;
  CHECK(napi_get_typedarray_info(env, argv[1], &into_type, &into_len, &into, NULL, NULL));
  CHECK(napi_get_typedarray_info(env, argv[2], &meta_type, &meta_len, &meta_data, NULL, NULL));
  size_t slots = meta_len / 2 < MAX_BATCH ? meta_len / 2 : MAX_BATCH;
  if (into_type != napi_uint8_array || meta_type != napi_float64_array || slots == 0 || into_len / slots == 0) {
    napi_throw_type_error(env, "ERR_SIPMMSG", "recv needs a Uint8Array and a Float64Array of slot pairs");
    return NULL;
  }
  size_t slot = into_len / slots;
  double *meta = meta_data;
  struct mmsghdr msgs[MAX_BATCH];
  struct iovec iov[MAX_BATCH];
  memset(msgs, 0, slots * sizeof msgs[0]);
  for (size_t i = 0; i < slots; i++) {
    iov[i].iov_base = (char *)into + i * slot;
    iov[i].iov_len = slot;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_control = s->control[i];
    msgs[i].msg_hdr.msg_controllen = sizeof s->control[i];
  }
  int r;
  do r = recvmmsg(s->fd, msgs, (unsigned)slots, MSG_DONTWAIT, NULL);
  while (r < 0 && errno == EINTR);
  if (r < 0) r = 0; // EAGAIN: nothing waiting; any other error also leaves nothing to read now
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  for (int i = 0; i < r; i++) {
    struct msghdr *h = &msgs[i].msg_hdr;
    double age = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        struct timespec at;
        memcpy(&at, CMSG_DATA(c), sizeof at);
        age = (double)(now.tv_sec - at.tv_sec) * 1e3 + (double)(now.tv_nsec - at.tv_nsec) / 1e6;
      }
    }
    meta[2 * i] = (h->msg_flags & MSG_TRUNC) ? -1 : (double)msgs[i].msg_len;
    meta[2 * i + 1] = age;
  }
  return uint32_value(env, (uint32_t)r);
}

// close(socket): closes the descriptor at once (the finalizer frees the rest)
static napi_value js_close(napi_env env, napi_callback_info info) {
  ARGS(1);
  Sock *s = NULL;
  CHECK(napi_get_value_external(env, argv[0], (void **)&s));
  if (s) close_sock(s);
  return NULL;
}

// ---- TCP connect probes ------------------------------------------------------------------------
//
// A prober owns an epoll descriptor and a table of slots, one per connect in flight. tcpConnect
// opens a non-blocking socket, starts the connect and registers it for EPOLLOUT; tcpPoll takes
// what epoll says is finished (epoll_wait with a timeout of 0: it never blocks) and closes each
// socket, a connected one with SO_LINGER {1, 0}, so it ends with a reset and leaves no TIME_WAIT.
// A connect that fails at once (ECONNREFUSED, ENETUNREACH, EMFILE, a bad address) is not thrown:
// it waits in a queue and is reported by the next poll like any other result.

/** Slot index bits of a probe id; the bits above hold the slot's generation, so a stale id names nothing. */
#define TCP_SLOT_BITS 20
#define TCP_MAX_SLOTS (1u << TCP_SLOT_BITS)
#define TCP_GEN_MASK 0x7ffu
/** Most results one tcpPoll() takes from epoll at once. */
#define TCP_POLL_MAX 256
/** Marks a prober, so a UDP socket handed to a TCP call is refused rather than misread. */
#define PROBER_MAGIC 0x54435050u

enum { SLOT_FREE = 0, SLOT_CONNECTING, SLOT_FAILED };

typedef struct {
  int fd;
  int state;
  int error;
  uint32_t generation;
  struct timespec started;
} TcpSlot;

typedef struct {
  /** Always -1, where a UDP socket keeps its descriptor: given to a UDP call by mistake, it reads as closed. */
  int not_fd;
  /** PROBER_MAGIC: what tells a prober from a UDP socket given to a TCP call. */
  uint32_t magic;
  int epfd;
  TcpSlot *slots;
  uint32_t capacity;
  uint32_t *free_slots;
  uint32_t free_count;
  /** Ids of connects that failed at once, reported by the next poll. */
  int32_t *failed;
  uint32_t failed_count;
  uint32_t failed_capacity;
} Prober;

static int32_t slot_id(Prober *p, uint32_t slot) {
  return (int32_t)(((p->slots[slot].generation & TCP_GEN_MASK) << TCP_SLOT_BITS) | slot);
}

static double elapsed_ms(const struct timespec *from) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - from->tv_sec) * 1e3 + (double)(now.tv_nsec - from->tv_nsec) / 1e6;
}

/**
 * Closes a probe's socket. `abortive` (a connected socket, or one that may have connected since
 * the last poll) sets SO_LINGER {1, 0} first: the close then sends a reset and leaves no
 * TIME_WAIT. A socket whose connect failed has no connection to end and is closed plainly,
 * which spares the refused probes, most of a busy fleet's, a system call.
 */
static void close_probe_socket(int fd, bool abortive) {
  if (fd < 0) return;
  if (abortive) {
    struct linger reset = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  }
  close(fd);
}

static void free_slot(Prober *p, uint32_t slot, bool abortive) {
  TcpSlot *s = &p->slots[slot];
  close_probe_socket(s->fd, abortive);
  s->fd = -1;
  s->state = SLOT_FREE;
  s->generation += 1;
  p->free_slots[p->free_count++] = slot;
}

static void close_prober(Prober *p) {
  if (p->epfd < 0) return;
  for (uint32_t i = 0; i < p->capacity; i++) {
    close_probe_socket(p->slots[i].fd, true);
    p->slots[i].fd = -1;
  }
  close(p->epfd);
  p->epfd = -1;
}

static void finalize_prober(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Prober *p = data;
  close_prober(p);
  free(p->slots);
  free(p->free_slots);
  free(p->failed);
  free(p);
}

/** The open prober behind `value`; throws when it is not one or is closed. */
static Prober *prober_arg(napi_env env, napi_value value) {
  Prober *p = NULL;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external || napi_get_value_external(env, value, (void **)&p) != napi_ok ||
      p == NULL || p->not_fd != -1 || p->magic != PROBER_MAGIC) {
    napi_throw_type_error(env, "ERR_SIPMMSG", "not a TCP prober");
    return NULL;
  }
  if (p->epfd < 0) {
    napi_throw_error(env, "ERR_SIPMMSG", "the TCP prober is closed");
    return NULL;
  }
  return p;
}

/** A free slot, growing the table when none is left; UINT32_MAX when the table is full or memory is out. */
static uint32_t take_slot(Prober *p) {
  if (p->free_count == 0) {
    if (p->capacity >= TCP_MAX_SLOTS) return UINT32_MAX;
    uint32_t capacity = p->capacity ? p->capacity * 2 : 256;
    TcpSlot *slots = realloc(p->slots, capacity * sizeof *slots);
    if (!slots) return UINT32_MAX;
    p->slots = slots;
    uint32_t *free_slots = realloc(p->free_slots, capacity * sizeof *free_slots);
    if (!free_slots) return UINT32_MAX;
    p->free_slots = free_slots;
    // Pushed highest first, so the lowest slots are taken first.
    for (uint32_t i = capacity; i-- > p->capacity;) {
      memset(&p->slots[i], 0, sizeof p->slots[i]);
      p->slots[i].fd = -1;
      p->free_slots[p->free_count++] = i;
    }
    p->capacity = capacity;
  }
  return p->free_slots[--p->free_count];
}

/** Marks a slot failed with `code`, to be reported by the next poll; false when the queue cannot grow. */
static bool fail_slot(Prober *p, uint32_t slot, int code) {
  TcpSlot *s = &p->slots[slot];
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
  s->state = SLOT_FAILED;
  s->error = code;
  if (p->failed_count == p->failed_capacity) {
    uint32_t capacity = p->failed_capacity ? p->failed_capacity * 2 : 64;
    int32_t *grown = realloc(p->failed, capacity * sizeof *grown);
    if (!grown) return false;
    p->failed = grown;
    p->failed_capacity = capacity;
  }
  p->failed[p->failed_count++] = slot_id(p, slot);
  return true;
}

/** The slot of a live id, or UINT32_MAX. */
static uint32_t slot_of(Prober *p, int32_t id) {
  if (id < 0) return UINT32_MAX;
  uint32_t slot = (uint32_t)id & (TCP_MAX_SLOTS - 1);
  if (slot >= p->capacity || p->slots[slot].state == SLOT_FREE || slot_id(p, slot) != id) return UINT32_MAX;
  return slot;
}

// tcpOpen(): prober
static napi_value js_tcp_open(napi_env env, napi_callback_info info) {
  (void)info;
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) return throw_errno(env, "epoll_create1", errno);
  Prober *p = calloc(1, sizeof *p);
  if (!p) {
    close(epfd);
    return throw_errno(env, "calloc", ENOMEM);
  }
  p->not_fd = -1;
  p->magic = PROBER_MAGIC;
  p->epfd = epfd;
  return external_value(env, p, finalize_prober);
}

// tcpConnect(prober, family: 4 | 6, address: string, port: number): number — the probe's id
static napi_value js_tcp_connect(napi_env env, napi_callback_info info) {
  ARGS(4);
  Prober *p = prober_arg(env, argv[0]);
  if (!p) return NULL;
  int32_t version = 0;
  char ip[64];
  size_t ip_len = 0;
  double port = 0;
  CHECK(napi_get_value_int32(env, argv[1], &version));
  CHECK(napi_get_value_string_utf8(env, argv[2], ip, sizeof ip, &ip_len));
  CHECK(napi_get_value_double(env, argv[3], &port));
  uint32_t slot = take_slot(p);
  if (slot == UINT32_MAX) return throw_errno(env, "tcpConnect", ENOMEM);
  TcpSlot *s = &p->slots[slot];
  s->state = SLOT_CONNECTING;
  s->error = 0;
  clock_gettime(CLOCK_MONOTONIC, &s->started);
  int32_t id = slot_id(p, slot);
  napi_value out;
  CHECK(napi_create_int32(env, id, &out));

  int family = version == 6 ? AF_INET6 : AF_INET;
  struct sockaddr_storage addr;
  socklen_t len = 0;
  if ((version == 4 || version == 6) && port >= 1 && port <= 65535 && port == (double)(uint32_t)port && ip_len < sizeof ip - 1)
    len = make_addr(family, ip, (uint32_t)port, &addr);
  if (len == 0) {
    if (!fail_slot(p, slot, EINVAL)) return throw_errno(env, "tcpConnect", ENOMEM);
    return out;
  }
  s->fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s->fd < 0) {
    if (!fail_slot(p, slot, errno)) return throw_errno(env, "tcpConnect", ENOMEM);
    return out;
  }
  int r;
  do r = connect(s->fd, (struct sockaddr *)&addr, len);
  while (r < 0 && errno == EINTR);
  if (r < 0 && errno != EINPROGRESS) {
    if (!fail_slot(p, slot, errno)) return throw_errno(env, "tcpConnect", ENOMEM);
    return out;
  }
  struct epoll_event ev = {.events = EPOLLOUT, .data = {.u32 = slot}};
  if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, s->fd, &ev) != 0) {
    if (!fail_slot(p, slot, errno)) return throw_errno(env, "tcpConnect", ENOMEM);
  }
  return out;
}

// tcpPoll(prober, ids: Int32Array, meta: Float64Array): number of finished connects
//
// ids[i] is a finished probe, meta[2i] its errno (0: connected) and meta[2i + 1] its round trip
// in ms: for a connected socket the kernel's handshake round trip (TCP_INFO tcpi_rtt, the SYN to
// SYN-ACK time it measured), or the time from tcpConnect to this poll when the kernel has none
// (a SYN retransmitted: Karn's rule leaves it unmeasured, and the time to connect is what a
// probe reports); for a failure, the time from tcpConnect to this poll. As many as fit in both
// arrays; a full ids array means more may be waiting.
static napi_value js_tcp_poll(napi_env env, napi_callback_info info) {
  ARGS(3);
  Prober *p = prober_arg(env, argv[0]);
  if (!p) return NULL;
  napi_typedarray_type ids_type, meta_type;
  size_t ids_len = 0, meta_len = 0;
  void *ids_data = NULL, *meta_data = NULL;
  CHECK(napi_get_typedarray_info(env, argv[1], &ids_type, &ids_len, &ids_data, NULL, NULL));
  CHECK(napi_get_typedarray_info(env, argv[2], &meta_type, &meta_len, &meta_data, NULL, NULL));
  if (ids_type != napi_int32_array || meta_type != napi_float64_array || ids_len == 0 || meta_len < 2 * ids_len) {
    napi_throw_type_error(env, "ERR_SIPMMSG", "tcpPoll needs an Int32Array of ids and a Float64Array of two numbers per id");
    return NULL;
  }
  int32_t *ids = ids_data;
  double *meta = meta_data;
  size_t room = ids_len;
  size_t n = 0;

  // Failures at connect time first, oldest first; a cancelled one is no longer its slot's id.
  uint32_t taken = 0;
  while (taken < p->failed_count && n < room) {
    int32_t id = p->failed[taken++];
    uint32_t slot = slot_of(p, id);
    if (slot == UINT32_MAX || p->slots[slot].state != SLOT_FAILED) continue;
    ids[n] = id;
    meta[2 * n] = p->slots[slot].error;
    meta[2 * n + 1] = elapsed_ms(&p->slots[slot].started);
    n++;
    free_slot(p, slot, false);
  }
  memmove(p->failed, p->failed + taken, (p->failed_count - taken) * sizeof *p->failed);
  p->failed_count -= taken;

  struct epoll_event events[TCP_POLL_MAX];
  while (n < room) {
    int want = room - n < TCP_POLL_MAX ? (int)(room - n) : TCP_POLL_MAX;
    int ready;
    do ready = epoll_wait(p->epfd, events, want, 0);
    while (ready < 0 && errno == EINTR);
    if (ready <= 0) break;
    for (int i = 0; i < ready; i++) {
      uint32_t slot = events[i].data.u32;
      TcpSlot *s = &p->slots[slot];
      // Writable with no error or hang-up flagged: connected, and the socket has no error to read.
      int error = 0;
      socklen_t error_len = sizeof error;
      if ((events[i].events & (EPOLLERR | EPOLLHUP)) != 0 && getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &error, &error_len) != 0)
        error = errno;
      double rtt = -1;
      if (error == 0) {
        struct tcp_info ti;
        socklen_t ti_len = sizeof ti;
        memset(&ti, 0, sizeof ti);
        if (getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &ti_len) == 0 && ti.tcpi_rtt > 0 && ti.tcpi_total_retrans == 0)
          rtt = ti.tcpi_rtt / 1e3;
      }
      ids[n] = slot_id(p, slot);
      meta[2 * n] = error;
      meta[2 * n + 1] = rtt >= 0 ? rtt : elapsed_ms(&s->started);
      n++;
      free_slot(p, slot, error == 0);
    }
    if (ready < want) break;
  }
  return uint32_value(env, (uint32_t)n);
}

// tcpCancel(prober, id: number): boolean — whether the id was a probe in flight (now ended, unreported)
static napi_value js_tcp_cancel(napi_env env, napi_callback_info info) {
  ARGS(2);
  Prober *p = prober_arg(env, argv[0]);
  if (!p) return NULL;
  int32_t id = -1;
  CHECK(napi_get_value_int32(env, argv[1], &id));
  uint32_t slot = slot_of(p, id);
  if (slot != UINT32_MAX) free_slot(p, slot, true);
  napi_value out;
  CHECK(napi_get_boolean(env, slot != UINT32_MAX, &out));
  return out;
}

// tcpClose(prober): ends every connect in flight and closes the epoll descriptor (the finalizer frees the rest)
static napi_value js_tcp_close(napi_env env, napi_callback_info info) {
  ARGS(1);
  Prober *p = NULL;
  CHECK(napi_get_value_external(env, argv[0], (void **)&p));
  if (p && p->not_fd == -1 && p->magic == PROBER_MAGIC) close_prober(p);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor fns[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"localPort", NULL, js_local_port, NULL, NULL, NULL, napi_enumerable, NULL},
      {"addTarget", NULL, js_add_target, NULL, NULL, NULL, napi_enumerable, NULL},
      {"send", NULL, js_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"recv", NULL, js_recv, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tcpOpen", NULL, js_tcp_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tcpConnect", NULL, js_tcp_connect, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tcpPoll", NULL, js_tcp_poll, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tcpCancel", NULL, js_tcp_cancel, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tcpClose", NULL, js_tcp_close, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_value batch;
  if (napi_create_uint32(env, MAX_BATCH, &batch) != napi_ok) return NULL;
  if (napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "maxBatch", batch) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
