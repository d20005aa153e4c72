/* The per-packet steps of reading a capture, in C.
 *
 * Record-header walks: each record's length must be read before the next record can be found,
 * so numpy cannot do this step; in Python it costs about 0.3 microseconds a packet. These two
 * functions do exactly what the pure-Python versions in walk.py do (the tests compare them on
 * random and damaged buffers) and return the offsets as the bytes of an int64 array.
 * Further down: the per-packet header decode (decode.py), the key index and per-flow
 * counters (intern.py), the per-side updates and payload marks of the flow table
 * (flowtable.py), each with a numpy twin the tests hold it to. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

enum { WALK_OK = 0, WALK_OTHER_BLOCK = 1, WALK_DAMAGED = 2, WALK_LIMIT = 3 };

static uint32_t read_u32(const unsigned char *p, int big) {
    if (big) {
        return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
    }
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | (uint32_t)p[0];
}

/* Appends one offset, growing the array; returns 0 when memory runs out. Needs no GIL (raw allocator). */
static int append(int64_t **out, Py_ssize_t *count, Py_ssize_t *capacity, int64_t value) {
    if (*count == *capacity) {
        Py_ssize_t grown = *capacity ? *capacity * 2 : 4096;
        int64_t *bigger = PyMem_RawRealloc(*out, (size_t)grown * sizeof(int64_t));
        if (bigger == NULL) {
            return 0;
        }
        *out = bigger;
        *capacity = grown;
    }
    (*out)[(*count)++] = value;
    return 1;
}

static PyObject *result(int64_t *out, Py_ssize_t count, Py_ssize_t off, int status) {
    PyObject *starts = PyBytes_FromStringAndSize((const char *)out, count * (Py_ssize_t)sizeof(int64_t));
    PyMem_RawFree(out);
    if (starts == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Nni)", starts, off, status);
}

static PyObject *walk_pcap(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer view;
    Py_ssize_t off, end;
    int big;
    unsigned long long max_caplen;
    if (!PyArg_ParseTuple(args, "y*nnpK", &view, &off, &end, &big, &max_caplen)) {
        return NULL;
    }
    if (end > view.len || off < 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "walk_pcap: range outside the buffer");
        return NULL;
    }
    const unsigned char *data = view.buf;
    int64_t *out = NULL;
    Py_ssize_t count = 0, capacity = 0;
    int status = WALK_OK;
    Py_BEGIN_ALLOW_THREADS
    while (off <= end - 16) {
        uint32_t caplen = read_u32(data + off + 8, big);
        if ((unsigned long long)caplen > max_caplen) {
            status = WALK_DAMAGED;
            break;
        }
        if (off + 16 + (Py_ssize_t)caplen > end) {
            break;
        }
        uint32_t wirelen = read_u32(data + off + 12, big);
        if (wirelen != 0 && caplen > wirelen) {
            status = WALK_DAMAGED;
            break;
        }
        if (!append(&out, &count, &capacity, off)) {
            status = -1;
            break;
        }
        off += 16 + (Py_ssize_t)caplen;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (status < 0) {
        PyMem_RawFree(out);
        return PyErr_NoMemory();
    }
    return result(out, count, off, status);
}

static PyObject *walk_epb(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer view;
    Py_ssize_t off, end;
    int big;
    unsigned long long max_block;
    if (!PyArg_ParseTuple(args, "y*nnpK", &view, &off, &end, &big, &max_block)) {
        return NULL;
    }
    if (end > view.len || off < 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "walk_epb: range outside the buffer");
        return NULL;
    }
    const unsigned char *data = view.buf;
    int64_t *out = NULL;
    Py_ssize_t count = 0, capacity = 0;
    int status = WALK_OK;
    Py_BEGIN_ALLOW_THREADS
    while (off + 12 <= end) {
        uint32_t btype = read_u32(data + off, big);
        uint32_t blen = read_u32(data + off + 4, big);
        if (btype != 6) {
            status = WALK_OTHER_BLOCK;
            break;
        }
        if (blen < 32 || blen % 4 || (unsigned long long)blen > max_block) {
            status = WALK_DAMAGED;
            break;
        }
        if (off + (Py_ssize_t)blen > end) {
            break;
        }
        if (!append(&out, &count, &capacity, off)) {
            status = -1;
            break;
        }
        off += (Py_ssize_t)blen;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (status < 0) {
        PyMem_RawFree(out);
        return PyErr_NoMemory();
    }
    return result(out, count, off, status);
}

/* Per-packet header decode: link layer (Ethernet with up to two VLAN tags, Linux cooked v1/v2, BSD
 * loopback, raw IP), IPv4 / IPv6, TCP / UDP ports, flags and payload bounds, for every packet of a
 * chunk in one pass, into columns the caller allocated (numpy arrays). It does exactly what
 * decode.py's numpy version does, byte for byte: a read past the end of the buffer reads its last
 * byte (numpy's take(mode="clip")), so even damaged packets give the same columns. */
static const unsigned char *g_data;
static Py_ssize_t g_last;

static inline int64_t at8(int64_t i) {
    if (i < 0) {
        i = 0;
    } else if (i > g_last) {
        i = g_last;
    }
    return g_data[i];
}

static inline int64_t be16(int64_t i) { return (at8(i) << 8) | at8(i + 1); }

static inline uint64_t be_bytes(int64_t i, int count) {
    uint64_t v = 0;
    for (int k = 0; k < count; k++) {
        v = (v << 8) | (uint64_t)at8(i + k);
    }
    return v;
}

enum { LINK_NULL = 0, LINK_ETHERNET = 1, LINK_SLL = 113, LINK_SLL2 = 276 };

typedef struct {
    Py_buffer view;
    int held;
} Arg;

static int get_buffer(PyObject *obj, Arg *arg, Py_ssize_t item, Py_ssize_t n, int writable, const char *name) {
    if (PyObject_GetBuffer(obj, &arg->view, writable ? PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS : PyBUF_C_CONTIGUOUS) < 0) {
        return 0;
    }
    arg->held = 1;
    if (n >= 0 && arg->view.len != n * item) {
        PyErr_Format(PyExc_ValueError, "%s holds %zd bytes, %zd expected", name, arg->view.len, n * item);
        return 0;
    }
    return 1;
}

/* Releases the buffers get_buffer took for a function's arguments (those it never got are not held). */
static void release_args(Arg *a, int n) {
    for (int k = 0; k < n; k++) {
        if (a[k].held) {
            PyBuffer_Release(&a[k].view);
        }
    }
}

/* One packet's headers (what `decode` writes into its columns for it). `l3` is where the IP header
 * starts; the addresses are read from there by the caller (IPv4 at l3 + 12, IPv6 at l3 + 8). */
typedef struct {
    int64_t etype, l3, sport, dport, flags, pay, plen;
    uint64_t smac, dmac;
    int ipver, proto;
} Headers;

/* Reads for decode_impl: `inside` (a constant where it is inlined) says every byte it may read, o .. o + 95
 * (Ethernet with two VLAN tags, a 60-byte IPv4 header, the TCP flags), lies in the buffer, so the clipping
 * of at8 can be left out; the bytes read are the same. */
#define R(i) (inside ? (int64_t)g_data[(i)] : at8(i))
#define BE16(i) ((R(i) << 8) | R((i) + 1))
static inline __attribute__((always_inline)) uint64_t be_bytes_impl(int64_t i, int count, int inside) {
    uint64_t v = 0;
    for (int k = 0; k < count; k++) {
        v = (v << 8) | (uint64_t)R(i + k);
    }
    return v;
}
#define BEB(i, count) be_bytes_impl((i), (count), inside)

static inline __attribute__((always_inline)) void decode_impl(int64_t o, int64_t caplen, int link, Headers *h,
                                                               int inside) {
    int64_t end = o + caplen, etype, l3;
    uint64_t smac = 0, dmac = 0;
    if (link == LINK_ETHERNET) {
        etype = BE16(o + 12);
        l3 = o + 14;
        for (int tag = 0; tag < 2 && (etype == 0x8100 || etype == 0x88A8 || etype == 0x9100); tag++) {
            etype = BE16(l3 + 2);
            l3 += 4;
        }
        dmac = BEB(o, 6);
        smac = BEB(o + 6, 6);
        if (caplen < 14) {
            etype = -1;
        }
    } else if (link == LINK_SLL) {
        etype = BE16(o + 14);
        l3 = o + 16;
    } else if (link == LINK_SLL2) {
        etype = BE16(o);
        l3 = o + 20;
    } else if (link == LINK_NULL) {
        int64_t fam = R(o) | R(o + 3);
        etype = fam == 2 ? 0x0800 : (fam == 24 || fam == 28 || fam == 30) ? 0x86DD : -2;
        l3 = o + 4;
    } else {
        int64_t version = R(o) >> 4;
        etype = version == 4 ? 0x0800 : version == 6 ? 0x86DD : -3;
        l3 = o;
    }
    int64_t vihl = R(l3), ihl = (vihl & 0x0F) * 4;
    int is4 = etype == 0x0800 && (vihl >> 4) == 4 && ihl >= 20 && l3 + 20 <= end;
    int is6 = etype == 0x86DD && (vihl >> 4) == 6 && l3 + 40 <= end;
    h->etype = etype;
    h->l3 = l3;
    h->smac = smac;
    h->dmac = dmac;
    if (!is4 && !is6) {
        h->ipver = h->proto = 0;
        h->sport = h->dport = h->flags = h->pay = h->plen = 0;
        return;
    }
    int64_t proto, frag, l4, ip_end;
    if (is4) {
        proto = R(l3 + 9);
        frag = BE16(l3 + 6) & 0x1FFF;
        l4 = l3 + ihl;
        ip_end = l3 + BE16(l3 + 2);
    } else {
        proto = R(l3 + 6);
        frag = proto == 44;
        l4 = l3 + 40;
        ip_end = l4 + BE16(l3 + 4);
    }
    if (ip_end > end) {
        ip_end = end;
    }
    if (ip_end <= l3) {
        ip_end = end;
    }
    int tcp = proto == 6, udp = proto == 17;
    int has_ports = (tcp || udp) && frag == 0 && l4 + 4 <= end;
    int64_t pay = tcp ? l4 + (R(l4 + 12) >> 4) * 4 : l4 + 8;
    h->ipver = is4 ? 4 : 6;
    h->proto = (int)proto;
    h->sport = has_ports ? BE16(l4) : 0;
    h->dport = has_ports ? BE16(l4 + 2) : 0;
    h->flags = tcp && has_ports && l4 + 14 <= end ? R(l4 + 13) : 0;
    h->pay = pay;
    h->plen = has_ports && pay <= ip_end ? ip_end - pay : 0;
}
#undef R
#undef BE16
#undef BEB

enum { DECODE_REACH = 96 };

static inline void decode_one(int64_t o, int64_t caplen, int link, Headers *h) {
    if (o >= 0 && o + DECODE_REACH <= g_last + 1) {
        decode_impl(o, caplen, link, h, 1);
    } else {
        decode_impl(o, caplen, link, h, 0);
    }
}

static PyObject *decode(PyObject *self, PyObject *args) {
    (void)self;
    enum { BUF, OFF, CAPLEN, ETYPE, IPVER, ADDR, PROTO, SPORT, DPORT, FLAGS, PAY, PLEN, SMAC, DMAC, NARGS };
    static const char *names[NARGS] = {"buf", "off", "caplen", "etype", "ipver", "addr", "proto", "sport",
                                       "dport", "flags", "payload_off", "payload_len", "src_mac", "dst_mac"};
    static const Py_ssize_t sizes[NARGS] = {1, 8, 8, 8, 1, 32, 1, 8, 8, 8, 8, 8, 8, 8};
    PyObject *objs[NARGS];
    int link;
    if (!PyArg_ParseTuple(args, "OOOiOOOOOOOOOOO", &objs[BUF], &objs[OFF], &objs[CAPLEN], &link, &objs[ETYPE],
                          &objs[IPVER], &objs[ADDR], &objs[PROTO], &objs[SPORT], &objs[DPORT], &objs[FLAGS],
                          &objs[PAY], &objs[PLEN], &objs[SMAC], &objs[DMAC])) {
        return NULL;
    }
    Arg a[NARGS];
    memset(a, 0, sizeof a);
    int ok = get_buffer(objs[BUF], &a[BUF], 1, -1, 0, names[BUF]) && get_buffer(objs[OFF], &a[OFF], 8, -1, 0, names[OFF]);
    Py_ssize_t n = ok ? a[OFF].view.len / 8 : 0;
    for (int k = CAPLEN; ok && k < NARGS; k++) {
        ok = get_buffer(objs[k], &a[k], sizes[k], n, k != CAPLEN, names[k]);
    }
    if (ok && a[BUF].view.len == 0 && n > 0) {
        PyErr_SetString(PyExc_ValueError, "decode: packets in an empty buffer");
        ok = 0;
    }
    if (ok) {
        const int64_t *off = a[OFF].view.buf, *caplen = a[CAPLEN].view.buf;
        int64_t *etype_out = a[ETYPE].view.buf, *sport_out = a[SPORT].view.buf, *dport_out = a[DPORT].view.buf;
        int64_t *flags_out = a[FLAGS].view.buf, *pay_out = a[PAY].view.buf, *plen_out = a[PLEN].view.buf;
        uint64_t *smac_out = a[SMAC].view.buf, *dmac_out = a[DMAC].view.buf;
        unsigned char *ipver_out = a[IPVER].view.buf, *addr_out = a[ADDR].view.buf, *proto_out = a[PROTO].view.buf;
        g_data = a[BUF].view.buf;
        g_last = a[BUF].view.len - 1;
        for (Py_ssize_t i = 0; i < n; i++) {
            Headers h;
            decode_one(off[i], caplen[i], link, &h);
            etype_out[i] = h.etype;
            smac_out[i] = h.smac;
            dmac_out[i] = h.dmac;
            unsigned char *addr = addr_out + 32 * i;
            memset(addr, 0, 32);
            if (h.ipver == 4) {
                for (int k = 0; k < 8; k++) {
                    addr[k] = (unsigned char)at8(h.l3 + 12 + k);
                }
            } else if (h.ipver == 6) {
                for (int k = 0; k < 32; k++) {
                    addr[k] = (unsigned char)at8(h.l3 + 8 + k);
                }
            }
            ipver_out[i] = (unsigned char)h.ipver;
            proto_out[i] = (unsigned char)h.proto;
            sport_out[i] = h.sport;
            dport_out[i] = h.dport;
            flags_out[i] = h.flags;
            pay_out[i] = h.pay;
            plen_out[i] = h.plen;
        }
    }
    release_args(a, NARGS);
    if (!ok) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* Interning keys into dense ids with an open-addressing hash table the caller owns (numpy arrays
 * `slots_keys` (capacity x width uint64) and `slots_ids` (capacity int64, -1 = empty); the capacity is a
 * power of two and the caller keeps it at least twice the number of ids). Replaces sorting every
 * chunk's keys: one probe per packet. New keys get the next ids in order of first appearance; with
 * `insert` false an unknown key gets -1. Returns the next free id. intern.py has the same in numpy. */
static inline uint64_t mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static PyObject *intern(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *o_slot_keys, *o_slot_ids, *o_keys, *o_out;
    int width, insert;
    long long next_id;
    if (!PyArg_ParseTuple(args, "OOOiLpO", &o_slot_keys, &o_slot_ids, &o_keys, &width, &next_id, &insert, &o_out)) {
        return NULL;
    }
    if (width < 1 || width > 2) {
        PyErr_SetString(PyExc_ValueError, "intern: width must be 1 or 2");
        return NULL;
    }
    Arg a[4];
    memset(a, 0, sizeof a);
    int ok = get_buffer(o_slot_ids, &a[1], 8, -1, 1, "slot ids");
    Py_ssize_t cap = ok ? a[1].view.len / 8 : 0;
    ok = ok && get_buffer(o_slot_keys, &a[0], 8 * width, cap, 1, "slot keys");
    ok = ok && get_buffer(o_keys, &a[2], 8 * width, -1, 0, "keys");
    Py_ssize_t n = ok ? a[2].view.len / (8 * width) : 0;
    ok = ok && get_buffer(o_out, &a[3], 8, n, 1, "out");
    if (ok && (cap == 0 || (cap & (cap - 1)) || (insert && next_id + n > cap / 2))) {
        PyErr_SetString(PyExc_ValueError, "intern: capacity must be a power of two above twice the ids");
        ok = 0;
    }
    if (ok) {
        uint64_t *slot_keys = a[0].view.buf;
        int64_t *slot_ids = a[1].view.buf, *out = a[3].view.buf;
        const uint64_t *keys = a[2].view.buf;
        uint64_t mask = (uint64_t)cap - 1;
        for (Py_ssize_t i = 0; i < n; i++) {
            const uint64_t *k = keys + (size_t)i * width;
            uint64_t h = mix(k[0] ^ (width == 2 ? mix(k[1] + 0x9e3779b97f4a7c15ULL) : 0));
            uint64_t at = h & mask;
            for (;;) {
                int64_t id = slot_ids[at];
                if (id < 0) {
                    if (insert) {
                        slot_ids[at] = next_id;
                        memcpy(slot_keys + at * width, k, 8 * (size_t)width);
                        out[i] = next_id++;
                    } else {
                        out[i] = -1;
                    }
                    break;
                }
                const uint64_t *sk = slot_keys + at * width;
                if (sk[0] == k[0] && (width == 1 || sk[1] == k[1])) {
                    out[i] = id;
                    break;
                }
                at = (at + 1) & mask;
            }
        }
    }
    release_args(a, 4);
    if (!ok) {
        return NULL;
    }
    return PyLong_FromLongLong(next_id);
}

/* Adds one chunk's packets to the per-flow counters: packets, bytes, first and last time, strongest
 * direction evidence (see FlowTable.add; intern.py has the numpy version). */
static PyObject *accumulate(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *o[9];
    if (!PyArg_ParseTuple(args, "OOOOOOOOO", &o[0], &o[1], &o[2], &o[3], &o[4], &o[5], &o[6], &o[7], &o[8])) {
        return NULL;
    }
    static const char *names[9] = {"flow", "wire_len", "ts", "rank", "packets", "bytes", "first", "last", "direction"};
    Arg a[9];
    memset(a, 0, sizeof a);
    int ok = get_buffer(o[0], &a[0], 8, -1, 0, names[0]);
    Py_ssize_t n = ok ? a[0].view.len / 8 : 0;
    for (int k = 1; ok && k < 4; k++) {
        ok = get_buffer(o[k], &a[k], 8, n, 0, names[k]);
    }
    ok = ok && get_buffer(o[4], &a[4], 8, -1, 1, names[4]);
    Py_ssize_t flows = ok ? a[4].view.len / 8 : 0;
    for (int k = 5; ok && k < 9; k++) {
        ok = get_buffer(o[k], &a[k], 8, flows, 1, names[k]);
    }
    if (ok) {
        const int64_t *flow = a[0].view.buf, *wire = a[1].view.buf, *rank = a[3].view.buf;
        const double *ts = a[2].view.buf;
        int64_t *packets = a[4].view.buf, *bytes = a[5].view.buf, *dir = a[8].view.buf;
        double *first = a[6].view.buf, *last = a[7].view.buf;
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t f = flow[i];
            if (f < 0 || f >= flows) {
                PyErr_SetString(PyExc_IndexError, "accumulate: flow id outside the table");
                ok = 0;
                break;
            }
            packets[f] += 1;
            bytes[f] += wire[i];
            if (ts[i] < first[f]) {
                first[f] = ts[i];
            }
            if (ts[i] > last[f]) {
                last[f] = ts[i];
            }
            if (rank[i] > dir[f]) {
                dir[f] = rank[i];
            }
        }
    }
    release_args(a, 9);
    if (!ok) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* The flow table's per-side columns (FlowTable's `_side_columns`, one tuple built when they grow, in this
 * order) and the update one packet makes to its side: packets, bytes, first and last time; for a side seen
 * for the first time (its first position still unset), the packet's position and MACs and whether its ports
 * call for payload samples (`needs`, 3 x 65536: TCP, UDP, other); the first TCP SYN (and whether it came
 * without ACK), and the first payload that shows who asks (`say`: 1 the sender is the client, 0 the server,
 * -1 cannot tell), both only for TCP and UDP with a source port, a SYN never counting as the latter.
 * `update_sides` and `chunk_flows` both make it through `side_update`. */
enum {
    SC_PACKETS, SC_BYTES, SC_FIRST, SC_LAST, SC_FIRST_POS, SC_SMAC, SC_DMAC, SC_INSPECT, SC_SYN_POS, SC_SYN_NOACK,
    SC_SAYS_POS, SC_SAYS_CLIENT, SC_SAMPLES, SC_COUNT
};

typedef struct {
    int64_t *packets, *bytes, *first_pos, *syn_pos, *says_pos, *samples;
    double *first, *last;
    uint64_t *smac, *dmac;
    unsigned char *inspect, *syn_noack, *says_client;
    Py_ssize_t rows;
} Sides;

/* Takes the buffers of the side columns (`a` must hold SC_COUNT Args); all must have the same number of rows. */
static int get_sides(PyObject *columns, Arg *a, Sides *t, const char *fn) {
    static const char *names[SC_COUNT] = {"packets", "bytes", "first", "last", "first_position", "side src_mac",
                                          "side dst_mac", "inspect", "syn_position", "syn_without_ack",
                                          "says_position", "says_sender_is_client", "samples"};
    static const Py_ssize_t items[SC_COUNT] = {8, 8, 8, 8, 8, 8, 8, 1, 8, 1, 8, 1, 8};
    if (!PyTuple_Check(columns) || PyTuple_GET_SIZE(columns) != SC_COUNT) {
        PyErr_Format(PyExc_ValueError, "%s: the side tables must be a tuple of %d arrays", fn, (int)SC_COUNT);
        return 0;
    }
    for (int k = 0; k < SC_COUNT; k++) {
        if (!get_buffer(PyTuple_GET_ITEM(columns, k), &a[k], items[k], -1, 1, names[k])) {
            return 0;
        }
        if (a[k].view.len / items[k] != a[0].view.len / 8 || a[k].view.len % items[k]) {
            PyErr_Format(PyExc_ValueError, "%s: the side tables must all have the same number of rows", fn);
            return 0;
        }
    }
    t->rows = a[0].view.len / 8;
    t->packets = a[SC_PACKETS].view.buf;
    t->bytes = a[SC_BYTES].view.buf;
    t->first = a[SC_FIRST].view.buf;
    t->last = a[SC_LAST].view.buf;
    t->first_pos = a[SC_FIRST_POS].view.buf;
    t->smac = a[SC_SMAC].view.buf;
    t->dmac = a[SC_DMAC].view.buf;
    t->inspect = a[SC_INSPECT].view.buf;
    t->syn_pos = a[SC_SYN_POS].view.buf;
    t->syn_noack = a[SC_SYN_NOACK].view.buf;
    t->says_pos = a[SC_SAYS_POS].view.buf;
    t->says_client = a[SC_SAYS_CLIENT].view.buf;
    t->samples = a[SC_SAMPLES].view.buf;
    return 1;
}

/* One packet's update of side `s` (0 <= s < rows, ports within 0..65535: the callers check). */
static inline void side_update(const Sides *t, int64_t s, int proto, int64_t sport, int64_t dport, int64_t flags,
                               int64_t wire, double ts, int64_t pos, uint64_t smac, uint64_t dmac, int64_t say,
                               const unsigned char *needs, int64_t no_position) {
    t->packets[s] += 1;
    t->bytes[s] += wire;
    if (ts < t->first[s]) {
        t->first[s] = ts;
    }
    if (ts > t->last[s]) {
        t->last[s] = ts;
    }
    int tcp = proto == 6, udp = proto == 17;
    if (t->first_pos[s] == no_position) {
        Py_ssize_t row = tcp ? 0 : udp ? 65536 : 2 * 65536;
        t->first_pos[s] = pos;
        t->smac[s] = smac;
        t->dmac[s] = dmac;
        t->inspect[s] = needs[row + dport] || needs[row + sport];
    }
    if (!(tcp || udp) || sport <= 0) {
        return;
    }
    if (tcp && (flags & 0x02)) {
        if (t->syn_pos[s] == no_position) {
            t->syn_pos[s] = pos;
            t->syn_noack[s] = (flags & 0x10) == 0;
        }
    } else if (say >= 0 && t->says_pos[s] == no_position) {
        t->says_pos[s] = pos;
        t->says_client[s] = say == 1;
    }
}

/* One pass of FlowTable.add over a batch whose packets already have their side ids (flowtable.py's
 * `_update_sides_numpy` is the numpy version, column for column): `side_update` for each packet, in order.
 * Every index is checked against its array. */
static PyObject *update_sides(PyObject *self, PyObject *args) {
    (void)self;
    enum { SIDE, PROTO, SPORT, DPORT, FLAGS, WIRE, TS, POS, SMAC, DMAC, SAYS, NEEDS, NARGS };
    static const char *names[NARGS] = {"side", "proto", "sport", "dport", "tcp_flags", "wire_len", "ts", "pos",
                                       "src_mac", "dst_mac", "says", "needs"};
    static const Py_ssize_t items[NARGS] = {8, 1, 8, 8, 8, 8, 8, 8, 8, 8, 8, 1};
    PyObject *o[NARGS], *columns;
    long long no_position;
    if (!PyArg_ParseTuple(args, "OOOOOOOOOOOOOL", &o[0], &o[1], &o[2], &o[3], &o[4], &o[5], &o[6], &o[7], &o[8],
                          &o[9], &o[10], &o[11], &columns, &no_position)) {
        return NULL;
    }
    Arg a[NARGS], sa[SC_COUNT];
    memset(a, 0, sizeof a);
    memset(sa, 0, sizeof sa);
    Sides t;
    int ok = get_buffer(o[SIDE], &a[SIDE], 8, -1, 0, names[SIDE]);
    Py_ssize_t n = ok ? a[SIDE].view.len / 8 : 0;
    for (int k = PROTO; ok && k <= SAYS; k++) {
        ok = get_buffer(o[k], &a[k], items[k], n, 0, names[k]);
    }
    ok = ok && get_buffer(o[NEEDS], &a[NEEDS], 1, 3 * 65536, 0, names[NEEDS]);
    ok = ok && get_sides(columns, sa, &t, "update_sides");
    if (ok) {
        const int64_t *side = a[SIDE].view.buf, *sport = a[SPORT].view.buf, *dport = a[DPORT].view.buf;
        const int64_t *flags = a[FLAGS].view.buf, *wire = a[WIRE].view.buf, *pos = a[POS].view.buf;
        const int64_t *says = a[SAYS].view.buf;
        const uint64_t *smac = a[SMAC].view.buf, *dmac = a[DMAC].view.buf;
        const unsigned char *proto = a[PROTO].view.buf, *needs = a[NEEDS].view.buf;
        const double *ts = a[TS].view.buf;
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t s = side[i];
            if (s < 0 || s >= t.rows || sport[i] < 0 || sport[i] > 65535 || dport[i] < 0 || dport[i] > 65535) {
                PyErr_SetString(PyExc_IndexError, "update_sides: side id or port outside its table");
                ok = 0;
                break;
            }
            side_update(&t, s, proto[i], sport[i], dport[i], flags[i], wire[i], ts[i], pos[i], smac[i], dmac[i],
                        says[i], needs, no_position);
        }
    }
    release_args(a, NARGS);
    release_args(sa, SC_COUNT);
    if (!ok) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* What the flow table looks for in each packet's payload, in one pass (flowtable.py's `payload_marks`
 * has the numpy version, field for field): whether it shows the sender is the client (1), the server
 * (0) or neither (-1) (S7comm ROSCTR, DNP3 DIR bit, BACnet APDU type); the control operation it requests, from
 * `op_table` (row 0 Modbus, 1 S7comm, 2 DNP3, by function code; -1 not an operation); and which
 * identity replies it may hold (IDENT_* bits). Reads past the buffer read its last byte, as numpy's
 * take(mode="clip") does, so damaged packets give the same marks. */
enum {
    IDENT_ENIP_TO_SERVER = 1,
    IDENT_ENIP_FROM_SERVER = 2,
    IDENT_MODBUS = 4,
    IDENT_S7_SZL = 8,
    IDENT_SNMP = 16,
    IDENT_S7_PLUS = 32,
};
/* BACnet/IP (BVLC 0x81): who sent the APDU of an Original-Unicast/Broadcast, Distribute-Broadcast or Forwarded
 * NPDU (ASHRAE 135 annex J and clause 6.2, the NPDU's version 1 and control byte with its optional DNET, SNET and
 * hop count), from its PDU type (clause 20.1): a Confirmed-Request comes from the client (1); a SimpleACK,
 * ComplexACK, Error or Reject from the server (0); a SegmentACK or Abort says which by its SRV bit; an
 * Unconfirmed-Request (I-Am, Who-Is, COV notifications) or a network layer message cannot tell (-1). Every
 * byte is read through at8 (a DNET or SNET address may run past MARK_REACH). */
static int64_t bacnet_says(int64_t p0, int64_t pl) {
    int64_t function = at8(p0 + 1);
    if (function != 0x04 && function != 0x09 && function != 0x0A && function != 0x0B) {
        return -1;
    }
    int64_t npdu = p0 + (function == 0x04 ? 10 : 4); /* a Forwarded-NPDU names its origin's B/IP address first */
    int64_t control = at8(npdu + 1);
    if (at8(npdu) != 1 || (control & 0x80)) {
        return -1;
    }
    int64_t at = npdu + 2;
    if (control & 0x20) {
        at += 3 + at8(at + 2); /* DNET, DLEN, DADR */
    }
    if (control & 0x08) {
        at += 3 + at8(at + 2); /* SNET, SLEN, SADR */
    }
    if (control & 0x20) {
        at += 1; /* hop count */
    }
    if (at >= p0 + pl) {
        return -1;
    }
    int64_t apdu = at8(at), type = apdu >> 4;
    if (type == 0) {
        return 1;
    }
    if (type == 2 || type == 3 || type == 5 || type == 6) {
        return 0;
    }
    if (type == 4 || type == 7) {
        return (apdu & 1) ? 0 : 1;
    }
    return -1;
}

/* One payload's marks (what `marks` writes for it). `inside` (a constant where it is inlined): every byte
 * read up to p0 + MARK_REACH - 1 lies in the buffer, so those reads skip the clipping (the SZL id, which may
 * lie further, is always read through at8). */
#define R(i) (inside ? (int64_t)g_data[(i)] : at8(i))
static inline __attribute__((always_inline)) void mark_impl(int64_t p0, int64_t pl, int ip_proto, int64_t sp,
                                                             int64_t dp, const int64_t *op_table, int64_t *say_out,
                                                             int64_t *op_out, unsigned char *id_out, int inside) {
    int tcp = ip_proto == 6, udp = ip_proto == 17;
    int64_t say = -1, op = -1;
    unsigned char id = 0;
    /* every mark below needs one of these ports: other payloads are not read at all */
    int ports = sp == 102 || dp == 102 || sp == 20000 || dp == 20000 || sp == 502 || dp == 502 || sp == 44818 ||
                dp == 44818 || sp == 161 || sp == 47808 || dp == 47808 || sp == 47809 || dp == 47809;
    if (pl > 0 && ports) {
        int64_t b0 = R(p0);
        int64_t s7 = p0 + 5 + R(p0 + 4);
        int tpkt = b0 == 3 && (R(p0 + 5) & 0xF0) == 0xF0 && R(s7) == 0x32;
        int dnp3 = b0 == 0x05 && R(p0 + 1) == 0x64;
        if (tcp && (sp == 102 || dp == 102) && pl >= 17 && tpkt && s7 + 1 < p0 + pl) {
            int64_t rosctr = R(s7 + 1);
            say = rosctr == 1 ? 1 : (rosctr == 2 || rosctr == 3) ? 0 : -1;
        }
        /* S7comm-Plus (S7-1200/1500, protocol versions 1 and 2): opcode 0x31 is a request from the client, 0x32 a
         * response and 0x33 a notification from the PLC; a response to CreateObject (function 0x04CA), which opens
         * the session, states the PLC's order number and firmware */
        if (tcp && (sp == 102 || dp == 102) && pl >= 17 && b0 == 3 && (R(p0 + 5) & 0xF0) == 0xF0 && R(s7) == 0x72 &&
            (R(s7 + 1) == 1 || R(s7 + 1) == 2) && s7 + 8 < p0 + pl) {
            int64_t opcode = R(s7 + 4);
            say = opcode == 0x31 ? 1 : (opcode == 0x32 || opcode == 0x33) ? 0 : -1;
            if (sp == 102 && opcode == 0x32 && R(s7 + 7) == 0x04 && R(s7 + 8) == 0xCA) {
                id |= IDENT_S7_PLUS;
            }
        }
        if ((sp == 20000 || dp == 20000) && pl >= 10 && dnp3) {
            say = (R(p0 + 3) & 0x80) != 0;
        }
        if (udp && (sp == 47808 || dp == 47808 || sp == 47809 || dp == 47809) && pl >= 7 && b0 == 0x81) {
            say = bacnet_says(p0, pl);
        }
        if (tcp && dp == 502 && pl >= 8 && R(p0 + 2) == 0 && R(p0 + 3) == 0) {
            op = op_table[R(p0 + 7)];
        }
        if (tcp && dp == 102 && pl >= 18 && tpkt && R(p0 + 1) == 0 && s7 + 10 < p0 + pl && R(s7 + 1) == 1) {
            int64_t code = op_table[256 + R(s7 + 10)];
            if (code >= 0) {
                op = code;
            }
        }
        if (dp == 20000 && pl >= 13 && dnp3 && (R(p0 + 3) & 0x80)) {
            int64_t code = op_table[512 + R(p0 + 12)];
            if (code >= 0) {
                op = code;
            }
        }
        if (pl >= 30 && b0 == 0x63 && R(p0 + 1) == 0 && (R(p0 + 2) | R(p0 + 3)) != 0) {
            id |= (dp == 44818 ? IDENT_ENIP_TO_SERVER : 0) | (sp == 44818 ? IDENT_ENIP_FROM_SERVER : 0);
        }
        if (tcp && sp == 502 && pl >= 14 && R(p0 + 7) == 0x2B && R(p0 + 8) == 0x0E) {
            id |= IDENT_MODBUS;
        }
        if (tcp && sp == 102 && pl >= 30 && b0 == 3 && R(s7) == 0x32 && R(s7 + 1) == 7) {
            int64_t data = s7 + 10 + ((R(s7 + 6) << 8) | R(s7 + 7));
            int64_t szl = (at8(data + 4) << 8) | at8(data + 5); /* may lie past MARK_REACH */
            if (szl == 0x0011 || szl == 0x0111 || szl == 0x001C || szl == 0x011C) {
                id |= IDENT_S7_SZL;
            }
        }
        if (udp && sp == 161 && pl >= 20) {
            id |= IDENT_SNMP;
        }
    }
    *say_out = say;
    *op_out = op;
    *id_out = id;
}
#undef R

enum { MARK_REACH = 272 }; /* p0 + 5 + 255 (the S7 header's place) + 11 */

static inline void mark_one(int64_t p0, int64_t pl, int ip_proto, int64_t sp, int64_t dp, const int64_t *op_table,
                            int64_t *say_out, int64_t *op_out, unsigned char *id_out) {
    if (p0 >= 0 && p0 + MARK_REACH <= g_last + 1) {
        mark_impl(p0, pl, ip_proto, sp, dp, op_table, say_out, op_out, id_out, 1);
    } else {
        mark_impl(p0, pl, ip_proto, sp, dp, op_table, say_out, op_out, id_out, 0);
    }
}


static PyObject *marks(PyObject *self, PyObject *args) {
    (void)self;
    enum { BUF, PROTO, SPORT, DPORT, PAY, PLEN, OPS, SAYS, OPOUT, IDENT, NARGS };
    static const char *names[NARGS] = {"buf", "proto", "sport", "dport", "payload_off", "payload_len",
                                       "op_table", "says", "op_code", "identity"};
    static const Py_ssize_t sizes[NARGS] = {1, 1, 8, 8, 8, 8, 8, 8, 8, 1};
    PyObject *objs[NARGS];
    if (!PyArg_ParseTuple(args, "OOOOOOOOOO", &objs[BUF], &objs[PROTO], &objs[SPORT], &objs[DPORT], &objs[PAY],
                          &objs[PLEN], &objs[OPS], &objs[SAYS], &objs[OPOUT], &objs[IDENT])) {
        return NULL;
    }
    Arg a[NARGS];
    memset(a, 0, sizeof a);
    int ok = get_buffer(objs[BUF], &a[BUF], 1, -1, 0, names[BUF]) && get_buffer(objs[PROTO], &a[PROTO], 1, -1, 0, names[PROTO]);
    Py_ssize_t n = ok ? a[PROTO].view.len : 0;
    for (int k = SPORT; ok && k < NARGS; k++) {
        ok = get_buffer(objs[k], &a[k], sizes[k], k == OPS ? 3 * 256 : n, k >= SAYS, names[k]);
    }
    if (ok && a[BUF].view.len == 0 && n > 0) {
        PyErr_SetString(PyExc_ValueError, "marks: packets in an empty buffer");
        ok = 0;
    }
    if (ok) {
        const unsigned char *proto = a[PROTO].view.buf;
        const int64_t *sport = a[SPORT].view.buf, *dport = a[DPORT].view.buf, *pay = a[PAY].view.buf;
        const int64_t *plen = a[PLEN].view.buf, *op_table = a[OPS].view.buf;
        int64_t *says = a[SAYS].view.buf, *op_out = a[OPOUT].view.buf;
        unsigned char *ident = a[IDENT].view.buf;
        g_data = a[BUF].view.buf;
        g_last = a[BUF].view.len - 1;
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t say, op;
            unsigned char id;
            mark_one(pay[i], plen[i], proto[i], sport[i], dport[i], op_table, &say, &op, &id);
            says[i] = say;
            op_out[i] = op;
            ident[i] = id;
        }
    }
    release_args(a, NARGS);
    if (!ok) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* The first `count` 32-bit words at each offset, widened to int64 rows of an (n, count) array (the pcap
 * record and pcapng block headers); pcap.py's `_words` does the same in one numpy gather. */
static PyObject *header_words(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *o_buf, *o_starts, *o_out;
    int count, big;
    if (!PyArg_ParseTuple(args, "OOipO", &o_buf, &o_starts, &count, &big, &o_out)) {
        return NULL;
    }
    Arg a[3];
    memset(a, 0, sizeof a);
    int ok = get_buffer(o_buf, &a[0], 1, -1, 0, "buf") && get_buffer(o_starts, &a[1], 8, -1, 0, "starts");
    Py_ssize_t n = ok ? a[1].view.len / 8 : 0;
    ok = ok && count > 0 && get_buffer(o_out, &a[2], 8 * (Py_ssize_t)count, n, 1, "out");
    if (ok && a[0].view.len == 0 && n > 0) {
        PyErr_SetString(PyExc_ValueError, "header_words: records in an empty buffer");
        ok = 0;
    }
    if (ok) {
        const int64_t *starts = a[1].view.buf;
        int64_t *out = a[2].view.buf;
        const unsigned char *data = a[0].view.buf;
        g_data = data;
        g_last = a[0].view.len - 1;
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t o = starts[i];
            int inside = o >= 0 && o + 4 * (int64_t)count - 1 <= g_last;
            for (int w = 0; w < count; w++) {
                int64_t at = o + 4 * w;
                uint32_t v;
                if (inside) {
                    v = read_u32(data + at, big);
                } else {
                    unsigned char b[4] = {(unsigned char)at8(at), (unsigned char)at8(at + 1), (unsigned char)at8(at + 2),
                                          (unsigned char)at8(at + 3)};
                    v = read_u32(b, big);
                }
                out[i * count + w] = (int64_t)v;
            }
        }
    }
    release_args(a, 3);
    if (!ok) {
        return NULL;
    }
    Py_RETURN_NONE;
}
/* The whole per-chunk step of the flow table in one call (FlowTable.add_chunk; the numpy path, pcap.py's
 * `_decode` then FlowTable.add, is what it must equal): for each packet, its record header (pcap mode: the
 * 16-byte record header at each offset, or walking (modes 3 and 4) at each record `walk_pcap` would find in
 * buf[start:walk_end], stopping at the first one at or after `walk_limit`; checked for a plausible timestamp
 * and wire length) or the columns given (pcapng), the link / IP / TCP-UDP decode, the host numbers of its addresses and the id of its side
 * (through the caller's hash tables, as `intern` numbers them), the side's counters and direction evidence
 * (as `update_sides`) and its payload's marks (as `marks`). No per-packet column is handed back: only the
 * few packets Python still looks at, as event rows (`ev`: kind, packet index, side, sender's host number,
 * extra, transport, ports, payload offset and length, file position; `ev_ts` their times): a payload to
 * sample for the protocol signatures (extra: its slot), a control operation (extra: its code), an identity
 * candidate (extra: IDENT_* bits), a packet that is not IP (extra: its ethertype code), a record with an
 * impossible timestamp or wire length (pcap mode).
 *
 * Host numbers must come out as FlowTable.host_ids_v4 / host_ids_v6 give them per batch: the IPv4 hosts
 * new in the chunk numbered first, in order of appearance, then the IPv6 ones; so a first pass decodes and
 * interns the addresses (ids in each family's own index) into a scratch array, and a second one numbers the
 * hosts and updates the sides. Every offset is read through at8 (clipped to the buffer) and every table
 * index is checked, so no input can make it read or write outside its arrays. */
enum { EV_SAMPLE = 0, EV_OPERATION = 1, EV_IDENTITY = 2, EV_NOT_IP = 3, EV_BAD_TIME = 4, EV_BAD_LENGTH = 5 };
enum { EV_KIND, EV_INDEX, EV_SIDE, EV_SRC, EV_EXTRA, EV_PROTO, EV_SPORT, EV_DPORT, EV_PAY, EV_PLEN, EV_POS, EV_WIDTH };

typedef struct {
    uint64_t *slot_keys;
    int64_t *slot_ids;
    uint64_t mask;
    Py_ssize_t cap;
    uint64_t *keys;
    Py_ssize_t key_rows;
    int width;
    int64_t count;
} Table;

/* The id of a key, numbering a new one next (as `intern` with insert); -1 when the caller reserved too little. */
static inline int64_t table_id(Table *t, uint64_t k0, uint64_t k1) {
    uint64_t h = mix(k0 ^ (t->width == 2 ? mix(k1 + 0x9e3779b97f4a7c15ULL) : 0));
    uint64_t at = h & t->mask;
    for (Py_ssize_t probes = 0;; probes++) {
        if (probes > t->cap) {
            return -2; /* no free slot in the whole table: not one this module keeps */
        }
        int64_t id = t->slot_ids[at];
        uint64_t *sk = t->slot_keys + at * (uint64_t)t->width;
        if (id < 0) {
            if (t->count >= t->cap / 2 || t->count >= t->key_rows) {
                return -1;
            }
            id = t->count++;
            t->slot_ids[at] = id;
            sk[0] = k0;
            t->keys[id * t->width] = k0;
            if (t->width == 2) {
                sk[1] = k1;
                t->keys[id * 2 + 1] = k1;
            }
            return id;
        }
        if (sk[0] == k0 && (t->width == 1 || sk[1] == k1)) {
            return id < t->count ? id : -2;
        }
        at = (at + 1) & t->mask;
    }
}

typedef struct {
    uint64_t raw0, raw1, hash; /* an IPv4 packet's addresses and transport, ports: its key in the flow cache */
    int64_t pay, plen, pos, wire, src, dst, index, side, l3, extra;
    double ts;
    uint64_t smac, dmac;
    int32_t sport, dport;
    uint8_t ipver, proto, flags, cached, kind;
} Packet;

/* The flow cache: an IPv4 packet's raw addresses, transport and ports straight to its side id, so a known
 * flow costs one lookup instead of three (both hosts, then the side). Rows of two words, 16 bytes, so the
 * cache of ten thousand sides stays within the processor's caches: the addresses; the transport and ports
 * (40 bits) shifted left by 24 bits, or'ed with the side id + 1 (0: an empty row; sides from 2^24 - 1 on
 * are not cached). Only a cache: the caller may empty it at any time (it does when it is half full, to
 * grow it); a side found through it is the one the three lookups would find. */
enum { CACHE_SIDE_BITS = 24 };

static inline uint64_t cache_hash(uint64_t k0, uint64_t k1) { return mix(k0 ^ mix(k1 + 0x9e3779b97f4a7c15ULL)); }

static inline int64_t cache_find(const uint64_t *cache, uint64_t mask, uint64_t hash, uint64_t k0, uint64_t k1) {
    uint64_t at = hash & mask;
    for (uint64_t probes = 0; probes <= mask; probes++) {
        const uint64_t *row = cache + 2 * at;
        if (row[1] == 0) {
            return -1;
        }
        if (row[0] == k0 && (row[1] >> CACHE_SIDE_BITS) == k1) {
            return (int64_t)(row[1] & ((1ULL << CACHE_SIDE_BITS) - 1)) - 1;
        }
        at = (at + 1) & mask;
    }
    return -1; /* a full cache (never made here): a miss */
}

/* Adds a flow (returns 1), unless it is there or its side id is too large (returns 0). */
static inline int cache_put(uint64_t *cache, uint64_t mask, uint64_t hash, uint64_t k0, uint64_t k1, int64_t side) {
    if (side + 1 >= (1LL << CACHE_SIDE_BITS)) {
        return 0;
    }
    uint64_t at = hash & mask;
    for (uint64_t probes = 0; probes <= mask; probes++) {
        uint64_t *row = cache + 2 * at;
        if (row[1] == 0) {
            row[0] = k0;
            row[1] = (k1 << CACHE_SIDE_BITS) | (uint64_t)(side + 1);
            return 1;
        }
        if (row[0] == k0 && (row[1] >> CACHE_SIDE_BITS) == k1) {
            return 0;
        }
        at = (at + 1) & mask;
    }
    return 0;
}

static inline void put_event(int64_t *row, double *row_ts, int64_t kind, int64_t index, int64_t side, int64_t src,
                             int64_t extra, const Packet *p) {
    row[EV_KIND] = kind;
    row[EV_INDEX] = index;
    row[EV_SIDE] = side;
    row[EV_SRC] = src;
    row[EV_EXTRA] = extra;
    row[EV_PROTO] = p->proto;
    row[EV_SPORT] = p->sport;
    row[EV_DPORT] = p->dport;
    row[EV_PAY] = p->pay;
    row[EV_PLEN] = p->plen;
    row[EV_POS] = p->pos;
    *row_ts = p->ts;
}

/* What `read_packet` and `add_packet` need of a chunk_flows call. */
typedef struct {
    const unsigned char *data;
    Py_ssize_t buf_len;
    int mode, big;
    const int64_t *off, *caplen, *wire, *links;
    Py_ssize_t link_count;
    const double *ts;
    double ts_unit, latest;
    int64_t max_wirelen, base, no_position, samples_max, index_base;
    const int64_t *op_table;
    const unsigned char *needs;
    const uint64_t *side_keys;
    uint64_t *cache;
    uint64_t cache_mask;
    int64_t *ev;
    double *ev_ts;
} Chunk;

enum { PACKET_IP = 100 }; /* read_packet: a packet to add (other results are the event kind it makes) */

/* A packet that makes only an event (not IP, or an implausible record): what its event row holds. */
static inline void event_only(Packet *p, int64_t pos, double ts, int64_t extra) {
    p->pos = pos;
    p->ts = ts;
    p->extra = extra;
    p->proto = 0;
    p->sport = p->dport = 0;
    p->pay = p->plen = 0;
}

/* Reads packet `i` (in pcap mode, the record at `rec`; else the columns' row `i`; its event rows say `index_base + i`) and decodes it into `p`: PACKET_IP for an
 * IPv4 or IPv6 packet (an IPv4 one with its flow cache row prefetched), else the kind of the one event it makes
 * (EV_BAD_TIME, EV_BAD_LENGTH, EV_NOT_IP; `p->extra` the ethertype code); -1 with an exception set when the record
 * header lies outside the buffer or the packet comes before `*order` in the file (which it then moves to). */
static inline int read_packet(const Chunk *c, Py_ssize_t i, int64_t rec, Packet *p, int64_t *order) {
    int64_t o_data, cap;
    p->index = c->index_base + i;
    p->extra = 0;
    p->cached = 0;
    if (c->mode) {
        if (rec < 0 || rec > c->buf_len - 16) {
            PyErr_SetString(PyExc_ValueError, "chunk_flows: record header outside the buffer");
            return -1;
        }
        uint32_t sec = read_u32(c->data + rec, c->big), frac = read_u32(c->data + rec + 4, c->big);
        int64_t wirelen = read_u32(c->data + rec + 12, c->big);
        double fraction = (double)frac * c->ts_unit;
        int bad_time = fraction >= 1.0 || (double)sec >= c->latest;
        if (bad_time || wirelen > c->max_wirelen) {
            event_only(p, rec + c->base, 0.0, 0);
            return bad_time ? EV_BAD_TIME : EV_BAD_LENGTH;
        }
        o_data = rec + 16;
        cap = read_u32(c->data + rec + 8, c->big);
        p->ts = (double)sec + fraction;
        p->wire = wirelen;
    } else {
        o_data = c->off[i];
        cap = c->caplen[i];
        p->ts = c->ts[i];
        p->wire = c->wire[i];
    }
    p->pos = o_data + c->base;
    if (p->pos <= *order) {
        PyErr_SetString(PyExc_ValueError, "packets must be added in file order");
        return -1;
    }
    *order = p->pos;
    Headers h;
    decode_one(o_data, cap, (int)c->links[c->link_count == 1 ? 0 : i], &h);
    if (h.ipver == 0) {
        event_only(p, p->pos, p->ts, h.etype);
        return EV_NOT_IP;
    }
    p->l3 = h.l3;
    if (h.ipver == 4) {
        if (o_data >= 0 && o_data + DECODE_REACH <= c->buf_len) { /* the addresses lie within the reach */
            p->raw0 = ((uint64_t)read_u32(c->data + h.l3 + 12, 1) << 32) | read_u32(c->data + h.l3 + 16, 1);
        } else {
            p->raw0 = be_bytes(h.l3 + 12, 8);
        }
        p->raw1 = ((uint64_t)h.proto << 32) | ((uint64_t)h.sport << 16) | (uint64_t)h.dport;
        p->hash = cache_hash(p->raw0, p->raw1);
        __builtin_prefetch(c->cache + 2 * (p->hash & c->cache_mask));
    }
    p->pay = h.pay;
    p->plen = h.plen;
    p->smac = h.smac;
    p->dmac = h.dmac;
    p->sport = (int32_t)h.sport;
    p->dport = (int32_t)h.dport;
    p->ipver = (uint8_t)h.ipver;
    p->proto = (uint8_t)h.proto;
    p->flags = (uint8_t)h.flags;
    return PACKET_IP;
}

/* The host number of the address at `id` of its family's table: one numbered before the chunk (the first `count`
 * ids, numbered in `known`), or one new in the chunk, numbered from `first_new` in order of its id. */
static inline int64_t host_number(int64_t id, int64_t count, const int64_t *known, int64_t first_new) {
    return id < count ? known[id] : first_new + (id - count);
}

enum { SIDE_FULL = -1, SIDE_FAILED = -2 };

/* The side (its row in the side table) of a packet from host number `src` to `dst`, numbered next if new, and
 * for an IPv4 packet remembered in the flow cache while the cache is at most half full. SIDE_FULL when the side
 * table needs room (or the side is past the `rows` of the side columns); SIDE_FAILED, with the Python error set,
 * for a host number outside the key's 20 bits or a damaged side table. Both passes of chunk_flows number sides
 * here. */
static inline int64_t side_of(Table *sides, const Chunk *c, const Packet *p, int64_t src, int64_t dst,
                              int64_t max_hosts, Py_ssize_t rows, long long *cache_count, Py_ssize_t cache_rows) {
    if (src < 0 || dst < 0 || src >= max_hosts || dst >= max_hosts) {
        PyErr_SetString(PyExc_ValueError, "chunk_flows: host number outside the key's 20 bits");
        return SIDE_FAILED;
    }
    uint64_t key0 = ((uint64_t)src << 44) | ((uint64_t)dst << 24) | ((uint64_t)p->proto << 16) | (uint64_t)p->sport;
    int64_t s = table_id(sides, key0, (uint64_t)p->dport);
    if (s == -1 || s >= rows) {
        return SIDE_FULL;
    }
    if (s < 0) {
        PyErr_SetString(PyExc_ValueError, "chunk_flows: damaged side table");
        return SIDE_FAILED;
    }
    if (p->ipver == 4 && *cache_count < cache_rows / 2) {
        *cache_count += cache_put(c->cache, c->cache_mask, p->hash, p->raw0, p->raw1, s);
    }
    return s;
}

/* A packet whose side `s` is known: its payload's marks, the side's update, and its events (a payload to sample,
 * a control operation, an identity candidate). `src` is the sender's host number, or -1 to take it from the
 * side's key (a side found through the flow cache: only an event needs it). Returns the events written. */
static inline Py_ssize_t add_packet(const Chunk *c, const Sides *t, const Packet *p, int64_t s, int64_t src,
                                    Py_ssize_t events) {
    int64_t say, op;
    unsigned char id;
    mark_one(p->pay, p->plen, p->proto, p->sport, p->dport, c->op_table, &say, &op, &id);
    side_update(t, s, p->proto, p->sport, p->dport, p->flags, p->wire, p->ts, p->pos, p->smac, p->dmac, say, c->needs,
                c->no_position);
    int sample = p->plen > 0 && t->inspect[s] && t->samples[s] >= 0 && t->samples[s] < c->samples_max;
    if (!(sample || op >= 0 || id)) {
        return events;
    }
    if (src < 0) {
        src = (int64_t)(c->side_keys[2 * s] >> 44);
    }
    if (sample) {
        put_event(c->ev + events * EV_WIDTH, c->ev_ts + events, EV_SAMPLE, p->index, s, src, t->samples[s], p);
        events++;
        t->samples[s] += 1;
        if (t->samples[s] >= c->samples_max) {
            t->inspect[s] = 0;
        }
    }
    if (op >= 0) {
        put_event(c->ev + events * EV_WIDTH, c->ev_ts + events, EV_OPERATION, p->index, s, src, op, p);
        events++;
    }
    if (id) {
        put_event(c->ev + events * EV_WIDTH, c->ev_ts + events, EV_IDENTITY, p->index, s, src, id, p);
        events++;
    }
    return events;
}

/* How many packets the single pass decodes ahead of the one it adds: their flow cache rows are fetched
 * meanwhile, and the window's rows stay in the processor's first-level cache. */
enum { WINDOW = 32 };
/* How far ahead of the record being walked its bytes are asked for: each record's place comes from the one
 * before it, so the walk waits on every header it reads unless that memory is on its way. A page ahead took the
 * C pass over the 2M-packet benchmark capture from 0.130 to 0.115 s (1 KB: 0.120; 8 and 16 KB: 0.117-0.118). */
enum { PREFETCH_AHEAD = 4096 };

static PyObject *chunk_flows(PyObject *self, PyObject *args) {
    (void)self;
    enum {
        BUF, OFF, CAPLEN, WIRE, TS, LINKS,
        V4_SLOT_KEYS, V4_SLOT_IDS, V4_KEYS, V4_HOST, V6_SLOT_KEYS, V6_SLOT_IDS, V6_KEYS, V6_HOST,
        S_SLOT_KEYS, S_SLOT_IDS, S_KEYS, NEEDS, OPS, SIDES, EV, EV_TS, CACHE, NARGS
    };
    static const char *names[NARGS] = {
        "buf", "off", "caplen", "wire_len", "ts", "links",
        "v4 slot keys", "v4 slot ids", "v4 keys", "v4 hosts", "v6 slot keys", "v6 slot ids", "v6 keys", "v6 hosts",
        "side slot keys", "side slot ids", "side keys", "needs", "op_table", "side tables", "events",
        "event times", "flow cache"};
    static const Py_ssize_t items[NARGS] = {1, 8, 8, 8, 8, 8, 8, 8, 8, 8, 16, 8, 16, 8, 16, 8, 16, 1, 8,
                                            1, 8 * EV_WIDTH, 8, 16};
    static const int writable[NARGS] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1};
    PyObject *o[NARGS];
    int mode;
    double ts_unit, latest;
    long long v4_index_count, v6_index_count, cache_count, start, events_before, index_base, walk_end, walk_limit,
        max_caplen;
    long long max_wirelen, base, last_position, v4_count, v6_count, side_count, hosts_len, max_hosts, samples_max,
        no_position;
    if (!PyArg_ParseTuple(args, "OOOOOOOOOOOOOOOOOOOOOOOiddLLLLLLLLLLLLLLLLLLL", &o[0], &o[1], &o[2], &o[3], &o[4],
                          &o[5], &o[6], &o[7], &o[8], &o[9], &o[10], &o[11], &o[12], &o[13], &o[14], &o[15], &o[16],
                          &o[17], &o[18], &o[19], &o[20], &o[21], &o[22], &mode, &ts_unit, &latest, &max_wirelen,
                          &base, &last_position, &v4_count, &v6_count, &side_count, &hosts_len, &max_hosts,
                          &samples_max, &no_position, &v4_index_count, &v6_index_count, &cache_count, &start,
                          &events_before, &index_base, &walk_end, &walk_limit, &max_caplen)) {
        return NULL;
    }
    Arg a[NARGS], sa[SC_COUNT];
    memset(a, 0, sizeof a);
    memset(sa, 0, sizeof sa);
    Sides t = {0};
    int ok = 1;
    for (int k = 0; ok && k < NARGS; k++) {
        if (k == SIDES) {
            continue;
        }
        ok = get_buffer(o[k], &a[k], items[k], -1, writable[k], names[k]);
        if (ok && a[k].view.len % items[k]) {
            PyErr_Format(PyExc_ValueError, "chunk_flows: %s is not a whole number of items", names[k]);
            ok = 0;
        }
    }
    ok = ok && get_sides(o[SIDES], sa, &t, "chunk_flows");
#define LEN(k) (a[k].view.len / items[k])
    Py_ssize_t n = ok ? LEN(OFF) : 0;
    Py_ssize_t rows = t.rows;
    const char *bad = NULL;
    if (ok) {
        Py_ssize_t columns = mode == 0 ? n : 0;
        if (mode < 0 || mode > 4) {
            bad = "mode must be 0 (columns), 1 or 2 (pcap records at `off`, little- or big-endian), 3 or 4 (pcap, "
                  "walking the records)";
        } else if (mode >= 3 && (n != 0 || LEN(LINKS) != 1 || start < 0 || start > walk_end ||
                                 walk_end > a[BUF].view.len || events_before < 0 || events_before > LEN(EV) ||
                                 LEN(EV_TS) != LEN(EV) || index_base < 0)) {
            bad = "a walk must resume within the buffer, with one link type and no offsets, its events within their "
                  "rows";
        } else if (LEN(CAPLEN) != columns || LEN(WIRE) != columns || LEN(TS) != columns) {
            bad = "caplen, wire_len and ts must hold one item a packet (none in pcap mode)";
        } else if (LEN(LINKS) != n && LEN(LINKS) != 1) {
            bad = "links must hold one link type, or one a packet";
        } else if (LEN(NEEDS) != 3 * 65536 || LEN(OPS) != 3 * 256) {
            bad = "needs or op_table has the wrong size";
        } else if (mode < 3 && (start < 0 || start > n || events_before < 0 || index_base < 0 ||
                                LEN(EV) < events_before + 3 * (n - start) || LEN(EV_TS) != LEN(EV))) {
            bad = "the pass must resume at a packet of the chunk, with three event rows for each packet after it";
        } else if (LEN(V4_HOST) != v4_count || LEN(V6_HOST) != v6_count || v4_index_count < v4_count ||
                   v6_index_count < v6_count) {
            bad = "host numbers must match the hosts known, and the indexes hold at least those";
        } else if (a[BUF].view.len == 0 && n > 0) {
            bad = "packets in an empty buffer";
        } else if (LEN(CACHE) == 0 || (LEN(CACHE) & (LEN(CACHE) - 1)) || cache_count < 0 ||
                   cache_count > LEN(CACHE) / 2) {
            bad = "the flow cache must be a power of two rows, at most half full";
        } else if (max_hosts > (1 << 20)) {
            bad = "host numbers must fit the side key's 20 bits";
        }
        if (bad) {
            PyErr_Format(PyExc_ValueError, "chunk_flows: %s", bad);
            ok = 0;
        }
    }
    Table v4 = {0}, v6 = {0}, sides = {0};
    Table *tables[3] = {&v4, &v6, &sides};
    const int slot_keys_arg[3] = {V4_SLOT_KEYS, V6_SLOT_KEYS, S_SLOT_KEYS};
    const long long counts[3] = {v4_index_count, v6_index_count, side_count};
    for (int k = 0; ok && k < 3; k++) {
        Table *tb = tables[k];
        int arg = slot_keys_arg[k];
        tb->width = k == 0 ? 1 : 2;
        tb->cap = LEN(arg + 1);
        tb->mask = (uint64_t)tb->cap - 1;
        tb->slot_keys = a[arg].view.buf;
        tb->slot_ids = a[arg + 1].view.buf;
        tb->keys = a[arg + 2].view.buf;
        tb->key_rows = LEN(arg + 2);
        tb->count = counts[k];
        if (LEN(arg) != tb->cap || tb->cap == 0 || (tb->cap & (tb->cap - 1)) || tb->count < 0 ||
            tb->count > tb->key_rows || tb->count > tb->cap / 2) {
            PyErr_Format(PyExc_ValueError, "chunk_flows: hash table %d is not a power of two above its keys", k);
            ok = 0;
        }
    }
    Packet *pk = NULL;
    Py_ssize_t events = events_before, next = start, records = 0;
    int walk_status = -1; /* the fused pass ran to the end of the offsets, or walking: why the walk stopped */
    int64_t last_pos = last_position;
    int full = 0; /* 1, 2, 3: the IPv4, IPv6 or side table needs room */
    if (ok) {
        Chunk c = {0};
        c.data = a[BUF].view.buf;
        c.buf_len = a[BUF].view.len;
        c.mode = mode;
        c.big = mode == 2 || mode == 4;
        c.index_base = index_base;
        c.off = a[OFF].view.buf;
        c.caplen = a[CAPLEN].view.buf;
        c.wire = a[WIRE].view.buf;
        c.ts = a[TS].view.buf;
        c.links = a[LINKS].view.buf;
        c.link_count = LEN(LINKS);
        c.ts_unit = ts_unit;
        c.latest = latest;
        c.max_wirelen = max_wirelen;
        c.base = base;
        c.no_position = no_position;
        c.samples_max = samples_max;
        c.op_table = a[OPS].view.buf;
        c.needs = a[NEEDS].view.buf;
        c.side_keys = sides.keys;
        c.cache = a[CACHE].view.buf;
        c.cache_mask = (uint64_t)LEN(CACHE) - 1;
        c.ev = a[EV].view.buf;
        c.ev_ts = a[EV_TS].view.buf;
        const int64_t *v4_host = a[V4_HOST].view.buf, *v6_host = a[V6_HOST].view.buf;
        Py_ssize_t cache_rows = LEN(CACHE);
        g_data = c.data;
        g_last = c.buf_len - 1;
        /* The single pass, while the chunk shows no IPv6 packet: read a window of packets ahead (their flow
         * cache rows are fetched meanwhile), then add them one by one, each finished before the next. Host
         * numbers are final at once, as no IPv6 host can be numbered before the chunk's new IPv4 ones. It stops
         * at a packet whose table needs room (`next`: the caller grows it and resumes there), or at the first
         * IPv6 packet, where the three-step pass below takes over. */
        int v6_seen = 0, walking = mode >= 3;
        Packet w[WINDOW];
        int64_t at[WINDOW + 1]; /* where each packet of the window is (its index, or walking its record's offset),
                                   then where the one after it is */
        while (ok && !full && !v6_seen && walk_status < 0) {
            int m = 0;
            int64_t order = last_pos;
            at[0] = next;
            while (m < WINDOW) {
                int64_t rec = 0, caplen = 0;
                if (walking) { /* walk_pcap's steps */
                    rec = at[m];
                    if (rec >= walk_limit) {
                        walk_status = WALK_LIMIT;
                        break;
                    }
                    if (rec > walk_end - 16) {
                        walk_status = WALK_OK;
                        break;
                    }
                    if (rec + PREFETCH_AHEAD < walk_end) {
                        __builtin_prefetch(c.data + rec + PREFETCH_AHEAD);
                    }
                    caplen = read_u32(c.data + rec + 8, c.big);
                    if ((unsigned long long)caplen > (unsigned long long)max_caplen) {
                        walk_status = WALK_DAMAGED;
                        break;
                    }
                    if (rec + 16 + caplen > walk_end) {
                        walk_status = WALK_OK;
                        break;
                    }
                    uint32_t wirelen = read_u32(c.data + rec + 12, c.big);
                    if (wirelen != 0 && caplen > wirelen) {
                        walk_status = WALK_DAMAGED;
                        break;
                    }
                } else if (at[m] >= n) {
                    walk_status = WALK_OK;
                    break;
                } else if (mode) {
                    rec = c.off[at[m]];
                }
                int kind = read_packet(&c, walking ? records + m : at[m], rec, w + m, &order);
                if (kind < 0) {
                    ok = 0;
                    break;
                }
                if (kind == PACKET_IP && w[m].ipver == 6) {
                    v6_seen = 1;
                    break;
                }
                w[m].kind = (uint8_t)kind;
                at[m + 1] = walking ? rec + 16 + caplen : at[m] + 1;
                m++;
            }
            /* The window's known flows first (their cache rows were fetched while reading): fetch their side
             * rows meanwhile. A flow added to the cache further on in the window is found when its turn comes. */
            for (int k = 0; k < m; k++) {
                Packet *p = w + k;
                p->side = -1;
                if (p->kind == PACKET_IP) {
                    p->side = cache_find(c.cache, c.cache_mask, p->hash, p->raw0, p->raw1);
                    if (p->side >= 0 && p->side < sides.count && p->side < rows) {
                        __builtin_prefetch(t.packets + p->side, 1);
                        __builtin_prefetch(t.bytes + p->side, 1);
                        __builtin_prefetch(t.first + p->side, 1);
                        __builtin_prefetch(t.last + p->side, 1);
                        __builtin_prefetch(t.first_pos + p->side, 0);
                        __builtin_prefetch(t.inspect + p->side, 0);
                    }
                }
            }
            for (int k = 0; ok && k < m; k++) {
                Packet *p = w + k;
                if (events + 3 > LEN(EV)) { /* walking: the caller gives more rows */
                    full = 4;
                    break;
                }
                if (p->kind != PACKET_IP) {
                    put_event(c.ev + events * EV_WIDTH, c.ev_ts + events, p->kind, p->index, -1, -1, p->extra, p);
                    events++;
                    if (p->kind == EV_NOT_IP) {
                        last_pos = p->pos;
                    }
                    next = at[k + 1];
                    records++;
                    continue;
                }
                int64_t s = p->side >= 0 ? p->side : cache_find(c.cache, c.cache_mask, p->hash, p->raw0, p->raw1);
                int64_t src = -1;
                if (s >= sides.count) {
                    PyErr_SetString(PyExc_ValueError, "chunk_flows: damaged flow cache");
                    ok = 0;
                    break;
                }
                if (s < 0) {
                    int64_t a_id = table_id(&v4, p->raw0 >> 32, 0), b_id = table_id(&v4, p->raw0 & 0xFFFFFFFFULL, 0);
                    if (a_id == -1 || b_id == -1) {
                        full = 1;
                        break;
                    }
                    if (a_id < 0 || b_id < 0) {
                        PyErr_SetString(PyExc_ValueError, "chunk_flows: damaged host table");
                        ok = 0;
                        break;
                    }
                    if (hosts_len + (v4.count - v4_count) + (v6.count - v6_count) > max_hosts) {
                        PyErr_Format(PyExc_OverflowError, "more than %lld distinct hosts", max_hosts);
                        ok = 0;
                        break;
                    }
                    src = host_number(a_id, v4_count, v4_host, hosts_len);
                    s = side_of(&sides, &c, p, src, host_number(b_id, v4_count, v4_host, hosts_len), max_hosts, rows,
                                &cache_count, cache_rows);
                    if (s == SIDE_FULL) {
                        full = 3;
                        break;
                    }
                    if (s < 0) {
                        ok = 0;
                        break;
                    }
                } else if (s >= rows) {
                    full = 3;
                    break;
                }
                last_pos = p->pos;
                events = add_packet(&c, &t, p, s, src, events);
                next = at[k + 1];
                records++;
            }
        }
        if (walking && ok && !full && v6_seen) { /* the caller walks the rest and adds it as records at offsets */
            full = 5;
        }
        /* From the chunk's first IPv6 packet on, three steps: read and decode the rest into scratch rows, then
         * number the hosts of every packet (the IPv6 ones after all the chunk's new IPv4 ones), then find each
         * packet's side and add it. When a table needs room, nothing but that table's keys has changed since
         * `resume`, where the caller calls again once it has grown. */
        Py_ssize_t resume = next;
        Py_ssize_t resume_events = events;
        int64_t resume_pos = last_pos;
        Py_ssize_t usable = 0;
        if (ok && !full && !walking && next < n) {
            pk = PyMem_RawMalloc((size_t)(n - next) * sizeof(Packet));
            if (pk == NULL) {
                PyErr_NoMemory();
                ok = 0;
            }
        }
        for (Py_ssize_t i = next; ok && !full && !walking && i < n; i++) {
            Packet *p = pk + usable;
            int kind = read_packet(&c, i, mode ? c.off[i] : 0, p, &last_pos);
            if (kind < 0) {
                ok = 0;
                break;
            }
            if (kind != PACKET_IP) {
                put_event(c.ev + events * EV_WIDTH, c.ev_ts + events, kind, i, -1, -1, p->extra, p);
                events++;
                continue;
            }
            usable++;
        }
        for (Py_ssize_t j = 0; ok && !full && j < usable; j++) {
            Packet *p = pk + j;
            if (p->ipver == 4) {
                int64_t known = cache_find(c.cache, c.cache_mask, p->hash, p->raw0, p->raw1);
                if (known >= sides.count) {
                    PyErr_SetString(PyExc_ValueError, "chunk_flows: damaged flow cache");
                    ok = 0;
                    break;
                }
                if (known >= 0) {
                    p->cached = 1;
                    p->side = known;
                    continue;
                }
                p->src = table_id(&v4, p->raw0 >> 32, 0);
                p->dst = table_id(&v4, p->raw0 & 0xFFFFFFFFULL, 0);
            } else {
                p->src = table_id(&v6, be_bytes(p->l3 + 8, 8), be_bytes(p->l3 + 16, 8));
                p->dst = table_id(&v6, be_bytes(p->l3 + 24, 8), be_bytes(p->l3 + 32, 8));
            }
            if (p->src == -1 || p->dst == -1) {
                full = p->ipver == 4 ? 1 : 2;
                break;
            }
            if (p->src < 0 || p->dst < 0) {
                PyErr_SetString(PyExc_ValueError, "chunk_flows: damaged host table");
                ok = 0;
                break;
            }
        }
        int64_t new_v4 = v4.count - v4_count;
        if (ok && !full && hosts_len + new_v4 + (v6.count - v6_count) > max_hosts) {
            PyErr_Format(PyExc_OverflowError, "more than %lld distinct hosts", max_hosts);
            ok = 0;
        }
        for (Py_ssize_t j = 0; ok && !full && j < usable; j++) {
            Packet *p = pk + j;
            int64_t src, dst;
            if (p->cached) {
                if (p->side >= rows) {
                    full = 3;
                    break;
                }
                p->src = -1;
                continue;
            }
            if (p->ipver == 4) {
                src = host_number(p->src, v4_count, v4_host, hosts_len);
                dst = host_number(p->dst, v4_count, v4_host, hosts_len);
            } else {
                src = host_number(p->src, v6_count, v6_host, hosts_len + new_v4);
                dst = host_number(p->dst, v6_count, v6_host, hosts_len + new_v4);
            }
            int64_t s = side_of(&sides, &c, p, src, dst, max_hosts, rows, &cache_count, cache_rows);
            if (s == SIDE_FULL) {
                full = 3;
                break;
            }
            if (s < 0) {
                ok = 0;
                break;
            }
            p->side = s;
            p->src = src;
        }
        for (Py_ssize_t j = 0; ok && !full && j < usable; j++) {
            const Packet *p = pk + j;
            events = add_packet(&c, &t, p, p->side, p->src, events);
        }
        if (full && !walking && resume < n) {
            next = resume;
            events = resume_events;
            last_pos = resume_pos;
        } else if (ok && !full && !walking) {
            next = n;
        }
    }
#undef LEN
    PyMem_RawFree(pk);
    release_args(a, NARGS);
    release_args(sa, SC_COUNT);
    if (!ok) {
        return NULL;
    }
    return Py_BuildValue("(innLLLLLni)", full, events, next, (long long)v4.count, (long long)v6.count,
                         (long long)sides.count, (long long)last_pos, cache_count, records, walk_status);
}
static PyMethodDef methods[] = {
    {"walk_pcap", walk_pcap, METH_VARARGS, "Offsets of the complete pcap records in buf[off:end] (int64 bytes), where the walk stopped, and why."},
    {"walk_epb", walk_epb, METH_VARARGS, "Offsets of a run of complete pcapng enhanced packet blocks (int64 bytes), where the walk stopped, and why."},
    {"decode", decode, METH_VARARGS, "Decode the link, IP and TCP/UDP headers of every packet into caller-allocated columns (see decode.py)."},
    {"intern", intern, METH_VARARGS, "Dense ids for 64- or 128-bit keys through a caller-owned hash table (see intern.py)."},
    {"accumulate", accumulate, METH_VARARGS, "Add packets to per-flow counters (see intern.py)."},
    {"marks", marks, METH_VARARGS, "Direction evidence, control operation and identity candidates of every packet's payload (see flowtable.py)."},
    {"update_sides", update_sides, METH_VARARGS, "Per-side counters, first packet and direction evidence of a batch in one pass (see flowtable.py)."},
    {"header_words", header_words, METH_VARARGS, "The first 32-bit words at each offset as int64 rows (see pcap.py)."},
    {"chunk_flows", chunk_flows, METH_VARARGS, "Decode a chunk's packets and add them to the flow table's sides in one pass, returning only the events Python still handles (see flowtable.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_walk", "Capture record-header walks and per-packet header decode in C.", -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__walk(void) { return PyModule_Create(&module); }
