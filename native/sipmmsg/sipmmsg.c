// sipmmsg: one UDP socket for the SIP OPTIONS probes that sends a batch of datagrams with one
// sendmmsg(2) and takes every datagram waiting with recvmmsg(2), so a batch of probes costs one
// JS -> native crossing and one system call each way instead of one per datagram.
//
// Written against node_api.h only (N-API version 8, set by scripts/build-sipmmsg.js): the ABI is stable, so the same .node file
// loads in every Node release and in Electron without their headers or a rebuild.
//
// The socket is non-blocking and has no thread or event-loop handle of its own: JavaScript calls
// recv() when it wants answers (after each send batch and on a short timer while probes are in
// flight). Each datagram carries the kernel's receive timestamp (SO_TIMESTAMPNS), handed back as
// its age at read time, so a round trip is timed from when the answer arrived, not when it was read.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
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
  napi_value out;
  if (napi_create_external(env, s, finalize_sock, NULL, &out) != napi_ok) {
    finalize_sock(env, s, NULL);
    return throw_last(env, "napi_create_external");
  }
  return out;
}

// localPort(socket): number
static napi_value js_local_port(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Sock *s = sock_arg(env, argv[0]);
  if (!s) return NULL;
  struct sockaddr_storage local;
  socklen_t len = sizeof local;
  if (getsockname(s->fd, (struct sockaddr *)&local, &len) != 0) return throw_errno(env, "getsockname", errno);
  uint16_t port = local.ss_family == AF_INET ? ((struct sockaddr_in *)&local)->sin_port : ((struct sockaddr_in6 *)&local)->sin6_port;
  napi_value out;
  CHECK(napi_create_uint32(env, ntohs(port), &out));
  return out;
}

// addTarget(socket, address: string, port: number): number — an index for send()
static napi_value js_add_target(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
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
  napi_value out;
  CHECK(napi_create_uint32(env, s->target_count++, &out));
  return out;
}

// send(socket, datagrams: Uint8Array[], targets: Int32Array, count: number): number sent
//
// A datagram the kernel refuses (a full send buffer, an unreachable network) is skipped and the
// rest still go: its probe ends as a loss at its deadline, as with Node's own socket.
static napi_value js_send(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
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
  napi_value out;
  CHECK(napi_create_uint32(env, sent, &out));
  return out;
}

// recv(socket, into: Uint8Array, meta: Float64Array): number of datagrams read
//
// `into` is cut into equal slots, one per pair in `meta`; datagram i lands at i * slot, and
// meta[2i] is its length (-1 when it did not fit its slot and was cut: the caller drops it) and
// meta[2i + 1] how many milliseconds ago the kernel received it. Fewer than the slots means the
// socket is drained.
static napi_value js_recv(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
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
  napi_value out;
  CHECK(napi_create_uint32(env, (uint32_t)r, &out));
  return out;
}

// close(socket): closes the descriptor at once (the finalizer frees the rest)
static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Sock *s = NULL;
  CHECK(napi_get_value_external(env, argv[0], (void **)&s));
  if (s) close_sock(s);
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
  };
  napi_value batch;
  if (napi_create_uint32(env, MAX_BATCH, &batch) != napi_ok) return NULL;
  if (napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "maxBatch", batch) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
