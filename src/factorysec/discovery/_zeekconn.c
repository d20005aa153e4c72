/* Zeek conn.log aggregation in C: one pass over the bytes of a TSV log, fed in blocks of whole
 * lines, rows grouped per (client, server, transport, port) in a hash table, so the cost is the
 * bytes of the file and the memory is a block plus the number of flows.
 *
 * It does exactly what the line-by-line reader in zeek.py does for a clean log (the tests hold it
 * to that on the real logs and on generated ones) and nothing more: the first row it cannot take
 * as it is (a wrong number of columns, a number that is not plain digits, an implausible value, a
 * port outside 0-65535, a byte outside printable ASCII in a field it keeps, a carriage return, a `#fields` or
 * `#separator` line other than the header's in the middle of the log) makes it return None, and
 * the Python readers take the file instead and name every bad line. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Column slots, in the order of the `columns` argument. */
enum {
    C_TS, C_ORIG_H, C_RESP_H, C_RESP_P, C_PROTO, C_SERVICE, C_DURATION, C_ORIG_PKTS, C_RESP_PKTS,
    C_ORIG_BYTES, C_RESP_BYTES, C_ORIG_MAC, C_RESP_MAC, C_ORIG_P, C_HISTORY, C_COUNT
};

#define LATEST_TIMESTAMP 4102444800.0
#define MAX_IP_BYTES_PER_PACKET 65535.0
#define MAX_NUMBER_TEXT 40

typedef struct {
    const char *p;
    Py_ssize_t n;
} Text;

typedef struct {
    Py_ssize_t key; /* offset of the encoded key (see encode_key) in the table's arena */
    Py_ssize_t key_len;
    uint64_t hash;
    double packets, bytes, first, last;
    Py_ssize_t value[3], value_len[3]; /* service, client MAC, server MAC: first set value, in the arena */
    Py_ssize_t line, rows;
    int rank, set; /* set: bits 1, 2, 4 once service, client MAC, server MAC hold a value */
} Group;

static const double POW10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Plain `digits[.digits]` to the double Python's float() gives (correctly rounded): an exact
 * integer mantissa below 2**53 divided by an exact power of ten is one correctly rounded IEEE
 * operation; longer numbers go through strtod, which glibc also rounds correctly. Returns 0 for any
 * other spelling (sign, exponent, spaces, inf, nan), which sends the file to the Python readers. */
static int parse_plain(Text t, double *out) {
    if (t.n == 0 || t.n > MAX_NUMBER_TEXT) {
        return 0;
    }
    /* Up to 19 digits fit a 64-bit mantissa; more wrap it around, and then go through strtod below. */
    const char *p = t.p, *end = t.p + t.n;
    uint64_t mantissa = 0;
    Py_ssize_t digits = 0, fraction = 0;
    for (; p < end && (unsigned char)(*p - '0') < 10; p++) {
        mantissa = mantissa * 10 + (uint64_t)(*p - '0');
    }
    digits = p - t.p;
    if (p < end && *p == '.') {
        const char *first = ++p;
        for (; p < end && (unsigned char)(*p - '0') < 10; p++) {
            mantissa = mantissa * 10 + (uint64_t)(*p - '0');
        }
        fraction = p - first;
        digits += fraction;
    }
    if (p != end || digits == 0) {
        return 0;
    }
    if (digits <= 19 && mantissa < (UINT64_C(1) << 53) && fraction <= 22) {
        *out = (double)mantissa / POW10[fraction];
        return 1;
    }
    char text[MAX_NUMBER_TEXT + 1];
    memcpy(text, t.p, (size_t)t.n);
    text[t.n] = '\0';
    *out = strtod(text, NULL);
    return 1;
}

static int is_unset(Text t) { return t.n == 1 && t.p[0] == '-'; }

/* An optional count or duration: unset ("-" or empty) is 0, as in the Python readers. */
static int parse_optional(Text t, double *out) {
    if (t.n == 0 || is_unset(t)) {
        *out = 0.0;
        return 1;
    }
    return parse_plain(t, out);
}

static int printable_ascii(Text t) {
    for (Py_ssize_t i = 0; i < t.n; i++) {
        unsigned char c = (unsigned char)t.p[i];
        if (c < 0x20 || c > 0x7e) {
            return 0;
        }
    }
    return 1;
}

static int has_char(Text t, char c) { return t.n > 0 && memchr(t.p, c, (size_t)t.n) != NULL; }

/* A port text that str.isdigit() accepts, as its number (-1 otherwise or above 65535). */
static long port_number(Text t) {
    if (t.n == 0) {
        return -1;
    }
    long value = 0;
    for (Py_ssize_t i = 0; i < t.n; i++) {
        char c = t.p[i];
        if (c < '0' || c > '9') {
            return -1;
        }
        if (value <= 65535) {
            value = value * 10 + (c - '0');
        }
    }
    return value > 65535 ? -1 : value;
}

/* A few bytes (an address, a port) copied as two fixed-size, possibly overlapping moves: a memcpy of a length
 * known only at run time (and a loop copying eight bytes at a time) was compiled as `rep movsq`, whose start-up
 * cost made it a third of the whole pass. */
static void copy_short(unsigned char *out, const char *p, Py_ssize_t n) {
    if (n >= 16 && n <= 32) {
        memcpy(out, p, 16);
        memcpy(out + n - 16, p + n - 16, 16);
    } else if (n >= 8 && n < 16) {
        memcpy(out, p, 8);
        memcpy(out + n - 8, p + n - 8, 8);
    } else if (n >= 4 && n < 8) {
        memcpy(out, p, 4);
        memcpy(out + n - 4, p + n - 4, 4);
    } else if (n < 4) {
        for (Py_ssize_t i = 0; i < n; i++) {
            out[i] = (unsigned char)p[i];
        }
    } else {
        memcpy(out, p, (size_t)n);
    }
}

/* client, server, transport and port as one byte string: each field's length (one byte) then its
 * bytes. Returns the length, or 0 when a field is too long to be a host, transport or port. */
static Py_ssize_t encode_key(const Text key[4], unsigned char *out) {
    Py_ssize_t n = 0;
    for (int k = 0; k < 4; k++) {
        if (key[k].n > 255) {
            return 0;
        }
        out[n++] = (unsigned char)key[k].n;
        copy_short(out + n, key[k].p, key[k].n);
        n += key[k].n;
    }
    return n;
}

/* Whether n bytes at a and b are the same, compared eight at a time (the last eight overlapping): a call to memcmp
 * for the ~30 bytes of a key, made for nearly every row, was a tenth of the pass. */
static int same_bytes(const unsigned char *a, const unsigned char *b, Py_ssize_t n) {
    if (n < 8) {
        return memcmp(a, b, (size_t)n) == 0;
    }
    uint64_t x, y;
    for (Py_ssize_t i = 0; i + 8 <= n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) {
            return 0;
        }
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
}

static uint64_t hash_bytes(const unsigned char *p, Py_ssize_t n) {
    uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)n;
    Py_ssize_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, p + i, (size_t)(n - i));
    h = (h ^ w) * UINT64_C(0xc4ceb9fe1a85ec53);
    return h ^ (h >> 29);
}

/* Groups in order of first appearance, found through an open-addressing index; the keys are copied
 * into one arena, so finding a row's group touches a few cache lines, never the mapped file. */
typedef struct {
    Group *groups;
    Py_ssize_t count, capacity;
    Py_ssize_t *slots; /* group index + 1, 0 = empty */
    Py_ssize_t mask;
    unsigned char *arena;
    Py_ssize_t arena_len, arena_capacity;
} Table;

static int table_grow(Table *t) {
    Py_ssize_t size = t->mask ? (t->mask + 1) * 2 : 4096;
    Py_ssize_t *slots = PyMem_RawCalloc((size_t)size, sizeof(Py_ssize_t));
    if (slots == NULL) {
        return 0;
    }
    for (Py_ssize_t g = 0; g < t->count; g++) {
        Py_ssize_t at = (Py_ssize_t)(t->groups[g].hash & (uint64_t)(size - 1));
        while (slots[at]) {
            at = (at + 1) & (size - 1);
        }
        slots[at] = g + 1;
    }
    PyMem_RawFree(t->slots);
    t->slots = slots;
    t->mask = size - 1;
    return 1;
}

/* Copies bytes into the arena; their offset, or -1 when memory runs out. */
static Py_ssize_t arena_add(Table *t, const void *bytes, Py_ssize_t n) {
    if (t->arena_len + n > t->arena_capacity) {
        Py_ssize_t grown = t->arena_capacity ? t->arena_capacity * 2 : 65536;
        while (grown < t->arena_len + n) {
            grown *= 2;
        }
        unsigned char *bigger = PyMem_RawRealloc(t->arena, (size_t)grown);
        if (bigger == NULL) {
            return -1;
        }
        t->arena = bigger;
        t->arena_capacity = grown;
    }
    memcpy(t->arena + t->arena_len, bytes, (size_t)n);
    t->arena_len += n;
    return t->arena_len - n;
}

/* The group of an encoded key, created when new; NULL when memory runs out. */
static Group *table_find(Table *t, const unsigned char *key, Py_ssize_t key_len, int *created) {
    if ((t->count + 1) * 2 > t->mask + 1 && !table_grow(t)) {
        return NULL;
    }
    uint64_t h = hash_bytes(key, key_len);
    Py_ssize_t at = (Py_ssize_t)(h & (uint64_t)t->mask);
    while (t->slots[at]) {
        Group *g = &t->groups[t->slots[at] - 1];
        if (g->hash == h && g->key_len == key_len && same_bytes(t->arena + g->key, key, key_len)) {
            *created = 0;
            return g;
        }
        at = (at + 1) & t->mask;
    }
    if (t->count == t->capacity) {
        Py_ssize_t grown = t->capacity ? t->capacity * 2 : 1024;
        Group *bigger = PyMem_RawRealloc(t->groups, (size_t)grown * sizeof(Group));
        if (bigger == NULL) {
            return NULL;
        }
        t->groups = bigger;
        t->capacity = grown;
    }
    Py_ssize_t stored = arena_add(t, key, key_len);
    if (stored < 0) {
        return NULL;
    }
    Group *g = &t->groups[t->count];
    memset(g, 0, sizeof(Group));
    g->key = stored;
    g->key_len = key_len;
    g->hash = h;
    t->slots[at] = ++t->count;
    *created = 1;
    return g;
}

enum { OK = 0, NOT_CLEAN = 1, NO_MEMORY = 2 };

typedef struct {
    int sep;
    Py_ssize_t width;
    Py_ssize_t col[C_COUNT];
    const unsigned char *tcp_ports, *udp_ports;
    int rank_handshake, rank_server_port, rank_originator;
    Text fields_line, separator_line; /* the header's `#fields` and `#separator` lines, without their newline */
} Layout;

/* Whether a header line met in the data (`#...`) leaves the layout as it is: a `#fields` or `#separator` line
 * must be the header's own (logs joined with `cat` repeat it; another one changes the columns, and the Python
 * readers follow it), any other `#` line (`#close`, `#open`, `#types`...) is passed over. */
static int same_layout(const char *line, Py_ssize_t n, const Layout *lay) {
    while (n > 0 && line[n - 1] == '\r') {
        n--;
    }
    const Text *own = NULL;
    if (n >= 7 && memcmp(line, "#fields", 7) == 0) {
        own = &lay->fields_line;
    } else if (n >= 10 && memcmp(line, "#separator", 10) == 0) {
        own = &lay->separator_line;
    } else {
        return 1;
    }
    return own->n == n && memcmp(own->p, line, (size_t)n) == 0;
}

static const Text UNSET = {"-", 1};

static Text field(const Text *fields, const Layout *lay, int slot) {
    Py_ssize_t i = lay->col[slot];
    return i < 0 ? UNSET : fields[i];
}

/* One data row into the table: OK, or NOT_CLEAN / NO_MEMORY. */
static int take_row(const Text *fields, const Layout *lay, Table *table, Py_ssize_t line) {
    double ts, duration, op, rp, ob, rb;
    Text ts_text = field(fields, lay, C_TS);
    if (is_unset(ts_text) || !parse_plain(ts_text, &ts) ||
        !parse_optional(field(fields, lay, C_DURATION), &duration) ||
        !parse_optional(field(fields, lay, C_ORIG_PKTS), &op) || !parse_optional(field(fields, lay, C_RESP_PKTS), &rp) ||
        !parse_optional(field(fields, lay, C_ORIG_BYTES), &ob) || !parse_optional(field(fields, lay, C_RESP_BYTES), &rb)) {
        return NOT_CLEAN;
    }
    double packets = op + rp, bytes = ob + rb;
    double most = (packets > 1.0 ? packets : 1.0) * MAX_IP_BYTES_PER_PACKET;
    if (!(ts < LATEST_TIMESTAMP) || !(duration < LATEST_TIMESTAMP) || bytes > most) {
        return NOT_CLEAN; /* the Python reader names it as implausible */
    }
    Text orig_h = field(fields, lay, C_ORIG_H), resp_h = field(fields, lay, C_RESP_H);
    Text orig_p = field(fields, lay, C_ORIG_P), resp_p = field(fields, lay, C_RESP_P);
    Text proto = field(fields, lay, C_PROTO), history = field(fields, lay, C_HISTORY);
    Text service = field(fields, lay, C_SERVICE);
    Text orig_mac = field(fields, lay, C_ORIG_MAC), resp_mac = field(fields, lay, C_RESP_MAC);
    if (is_unset(orig_h) || is_unset(resp_h) || is_unset(resp_p) || is_unset(proto)) {
        return NOT_CLEAN; /* a required field unset */
    }
    /* Text is checked where its value is kept: the ports here, which must be numbers 0-65535 in plain ASCII digits
     * (str.isdigit() would take other scripts' digits; the originator's may be unset), else the Python reader names
     * the row; a flow's key when its group is made (a later row with the same bytes is the same text), service and
     * MACs when set. The history letters mean the same in bytes as in decoded text. */
    long o = port_number(orig_p), r = port_number(resp_p);
    if (r < 0 || (o < 0 && orig_p.n > 0 && !is_unset(orig_p))) {
        return NOT_CLEAN;
    }
    /* Direction, as orient() in zeek.py: the handshake in `history`, else a registered server port
     * on exactly one side, else Zeek's originator. */
    int swap = 0, rank = -1;
    if (history.n > 0 && !is_unset(history)) {
        if (has_char(history, 'S') || has_char(history, 'h')) {
            rank = lay->rank_handshake;
        } else if (has_char(history, 's') || has_char(history, 'H')) {
            swap = 1;
            rank = lay->rank_handshake;
        }
    }
    if (rank < 0) {
        const unsigned char *known = NULL;
        if (proto.n == 3 && memcmp(proto.p, "tcp", 3) == 0) {
            known = lay->tcp_ports;
        } else if (proto.n == 3 && memcmp(proto.p, "udp", 3) == 0) {
            known = lay->udp_ports;
        } else if (proto.n >= 3 && memcmp(proto.p, "ip-", 3) == 0) {
            return NOT_CLEAN; /* a numbered transport: left to the Python reader */
        }
        rank = lay->rank_originator;
        if (known != NULL) {
            int o_known = o >= 0 && known[o], r_known = r >= 0 && known[r];
            if (r_known && !o_known) {
                rank = lay->rank_server_port;
            } else if (o_known && !r_known) {
                swap = 1;
                rank = lay->rank_server_port;
            }
        }
    }
    Text key[4];
    Text client_mac, server_mac;
    if (swap) {
        key[0] = resp_h, key[1] = orig_h, key[3] = orig_p;
        client_mac = resp_mac, server_mac = orig_mac;
    } else {
        key[0] = orig_h, key[1] = resp_h, key[3] = resp_p;
        client_mac = orig_mac, server_mac = resp_mac;
    }
    key[2] = proto;
    unsigned char encoded[4 + 4 * 255];
    Py_ssize_t encoded_len = encode_key(key, encoded);
    if (encoded_len == 0) {
        return NOT_CLEAN;
    }
    int created;
    Group *g = table_find(table, encoded, encoded_len, &created);
    if (g == NULL) {
        return NO_MEMORY;
    }
    double end = ts + duration;
    if (created) {
        if (!printable_ascii(key[0]) || !printable_ascii(key[1]) || !printable_ascii(key[2])) {
            return NOT_CLEAN;
        }
        g->first = ts;
        g->last = end;
        g->line = line;
        g->rank = rank;
    } else {
        if (ts < g->first) {
            g->first = ts;
        }
        if (end > g->last) {
            g->last = end;
        }
        if (rank > g->rank) {
            g->rank = rank;
        }
    }
    if (g->set != 7) {
        const Text values[3] = {service, client_mac, server_mac};
        for (int k = 0; k < 3; k++) {
            if (!(g->set & (1 << k)) && !is_unset(values[k])) {
                if (!printable_ascii(values[k])) {
                    return NOT_CLEAN;
                }
                Py_ssize_t stored = arena_add(table, values[k].p, values[k].n);
                if (stored < 0) {
                    return NO_MEMORY;
                }
                g->value[k] = stored;
                g->value_len[k] = values[k].n;
                g->set |= 1 << k;
            }
        }
    }
    g->packets += packets;
    g->bytes += bytes;
    g->rows++;
    return OK;
}

/* The fields of one line (without its newline) into `fields`: their number, or -1 when the line holds a carriage
 * return or more than `width` fields. Sixteen bytes at a time where SSE2 is there: a memchr per field (some twenty a
 * row, each a call and a set-up for a few bytes) was most of the splitting. */
static Py_ssize_t split_fields(const char *p, const char *end, char sep, Text *fields, Py_ssize_t width) {
    Py_ssize_t count = 0;
    const char *field_start = p, *q = p;
#if defined(__SSE2__)
    const __m128i seps = _mm_set1_epi8(sep), returns = _mm_set1_epi8('\r');
    for (; end - q >= 16; q += 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)q);
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(block, returns))) {
            return -1;
        }
        unsigned found = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, seps));
        while (found) {
            const char *at = q + __builtin_ctz(found);
            if (count == width) {
                return -1;
            }
            fields[count].p = field_start;
            fields[count].n = at - field_start;
            count++;
            field_start = at + 1;
            found &= found - 1;
        }
    }
#endif
    for (; q < end; q++) {
        if (*q == '\r') {
            return -1;
        }
        if (*q == sep) {
            if (count == width) {
                return -1;
            }
            fields[count].p = field_start;
            fields[count].n = q - field_start;
            count++;
            field_start = q + 1;
        }
    }
    if (count == width) {
        return -1;
    }
    fields[count].p = field_start;
    fields[count].n = end - field_start;
    return count + 1;
}

/* Every line of buf (whole lines; `*line` counts them across blocks): empty lines and header lines that keep the
 * layout (`same_layout`) skipped, data rows into the table. */
static int scan(const char *buf, Py_ssize_t len, const Layout *lay, Table *table, Text *fields, Py_ssize_t *rows,
                Py_ssize_t *line_count) {
    Py_ssize_t line = *line_count, pos = 0;
    while (pos < len) {
        const char *start = buf + pos;
        const char *nl = memchr(start, '\n', (size_t)(len - pos));
        Py_ssize_t n = nl ? nl - start : len - pos;
        pos += n + 1;
        line++;
        if (n == 0) {
            continue;
        }
        if (start[0] == '#') {
            if (!same_layout(start, n, lay)) {
                return NOT_CLEAN;
            }
            continue;
        }
        if (split_fields(start, start + n, (char)lay->sep, fields, lay->width) != lay->width) {
            return NOT_CLEAN; /* a carriage return, or more or fewer columns than the header names */
        }
        int status = take_row(fields, lay, table, line);
        if (status != OK) {
            return status;
        }
        (*rows)++;
    }
    *line_count = line;
    return OK;
}

static PyObject *text_object(Text t) { return PyUnicode_DecodeASCII(t.p, t.n, "strict"); }

/* Field k of an encoded key. */
static Text key_field(const Table *t, const Group *g, int k) {
    const unsigned char *p = t->arena + g->key;
    for (int i = 0; i < k; i++) {
        p += 1 + p[0];
    }
    Text out = {(const char *)p + 1, p[0]};
    return out;
}

/* Service, client MAC or server MAC of a group ("-" when never set). */
static Text value_field(const Table *t, const Group *g, int k) {
    if (!(g->set & (1 << k))) {
        return UNSET;
    }
    Text out = {(const char *)t->arena + g->value[k], g->value_len[k]};
    return out;
}

static PyObject *groups_list(const Table *table) {
    PyObject *list = PyList_New(table->count);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < table->count; i++) {
        const Group *g = &table->groups[i];
        PyObject *item = Py_BuildValue(
            "(NNNNddddNNNnni)", text_object(key_field(table, g, 0)), text_object(key_field(table, g, 1)),
            text_object(key_field(table, g, 2)), text_object(key_field(table, g, 3)), g->packets, g->bytes, g->first,
            g->last, text_object(value_field(table, g, 0)), text_object(value_field(table, g, 1)),
            text_object(value_field(table, g, 2)), g->line, g->rows, g->rank);
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

/* One aggregation in progress, held by a capsule between `start`, `feed` and `finish`. */
typedef struct {
    Layout lay;
    unsigned char tcp_ports[65536], udp_ports[65536];
    char *header; /* the header lines the layout's texts point into */
    Table table;
    Text *fields;
    Py_ssize_t rows, lines;
    int clean;
} Run;

#define RUN_NAME "factorysec.discovery._zeekconn.run"

static void run_free(PyObject *capsule) {
    Run *run = PyCapsule_GetPointer(capsule, RUN_NAME);
    if (run == NULL) {
        return;
    }
    PyMem_RawFree(run->fields);
    PyMem_RawFree(run->header);
    PyMem_RawFree(run->table.groups);
    PyMem_RawFree(run->table.slots);
    PyMem_RawFree(run->table.arena);
    PyMem_RawFree(run);
}

static PyObject *start(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer tcp, udp, fields_line, separator_line;
    int sep, handshake, server_port, originator;
    Py_ssize_t width;
    PyObject *columns;
    if (!PyArg_ParseTuple(args, "CnOy*y*iiiy*y*", &sep, &width, &columns, &tcp, &udp, &handshake, &server_port,
                          &originator, &fields_line, &separator_line)) {
        return NULL;
    }
    PyObject *capsule = NULL;
    Run *run = NULL;
    if (!PyTuple_Check(columns) || PyTuple_GET_SIZE(columns) != C_COUNT || tcp.len != 65536 || udp.len != 65536 ||
        width < 1 || sep > 127) {
        PyErr_SetString(PyExc_ValueError, "start: columns must be a tuple of 15 indexes, port tables 65536 bytes");
        goto done;
    }
    run = PyMem_RawCalloc(1, sizeof(Run));
    if (run == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    run->lay.sep = sep;
    run->lay.width = width;
    memcpy(run->tcp_ports, tcp.buf, 65536);
    memcpy(run->udp_ports, udp.buf, 65536);
    run->lay.tcp_ports = run->tcp_ports;
    run->lay.udp_ports = run->udp_ports;
    run->lay.rank_handshake = handshake;
    run->lay.rank_server_port = server_port;
    run->lay.rank_originator = originator;
    run->clean = 1;
    for (Py_ssize_t i = 0; i < C_COUNT; i++) {
        run->lay.col[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(columns, i));
        if ((run->lay.col[i] == -1 && PyErr_Occurred()) || run->lay.col[i] >= width || run->lay.col[i] < -1) {
            PyErr_Clear();
            PyErr_SetString(PyExc_ValueError, "start: a column index outside the row");
            goto done;
        }
    }
    run->fields = PyMem_RawMalloc((size_t)width * sizeof(Text));
    run->header = PyMem_RawMalloc((size_t)(fields_line.len + separator_line.len + 1));
    if (run->fields == NULL || run->header == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(run->header, fields_line.buf, (size_t)fields_line.len);
    memcpy(run->header + fields_line.len, separator_line.buf, (size_t)separator_line.len);
    run->lay.fields_line.p = run->header;
    run->lay.fields_line.n = fields_line.len;
    run->lay.separator_line.p = run->header + fields_line.len;
    run->lay.separator_line.n = separator_line.len;
    capsule = PyCapsule_New(run, RUN_NAME, run_free);
done:
    if (capsule == NULL && run != NULL) {
        PyMem_RawFree(run->fields);
        PyMem_RawFree(run->header);
        PyMem_RawFree(run);
    }
    PyBuffer_Release(&tcp);
    PyBuffer_Release(&udp);
    PyBuffer_Release(&fields_line);
    PyBuffer_Release(&separator_line);
    return capsule;
}

static PyObject *feed(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *capsule;
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "Oy*", &capsule, &view)) {
        return NULL;
    }
    Run *run = PyCapsule_GetPointer(capsule, RUN_NAME);
    if (run == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    int status = OK;
    if (run->clean) {
        Py_BEGIN_ALLOW_THREADS
        status = scan(view.buf, view.len, &run->lay, &run->table, run->fields, &run->rows, &run->lines);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&view);
    if (status == NO_MEMORY) {
        return PyErr_NoMemory();
    }
    if (status == NOT_CLEAN) {
        run->clean = 0;
    }
    return PyBool_FromLong(run->clean);
}

static PyObject *finish(PyObject *self, PyObject *capsule) {
    (void)self;
    Run *run = PyCapsule_GetPointer(capsule, RUN_NAME);
    if (run == NULL) {
        return NULL;
    }
    if (!run->clean) {
        Py_RETURN_NONE;
    }
    PyObject *groups = groups_list(&run->table);
    if (groups == NULL) {
        return NULL;
    }
    return Py_BuildValue("(nN)", run->rows, groups);
}

/* How many lines (data, comments and empty ones) the run has been fed: a log read in parts numbers each
 * part's lines after those of the parts before it. */
static PyObject *lines(PyObject *self, PyObject *capsule) {
    (void)self;
    Run *run = PyCapsule_GetPointer(capsule, RUN_NAME);
    if (run == NULL) {
        return NULL;
    }
    return PyLong_FromSsize_t(run->lines);
}

static PyMethodDef methods[] = {
    {"start", start, METH_VARARGS,
     "start(sep, width, columns, tcp_ports, udp_ports, rank_handshake, rank_server_port, rank_originator, "
     "fields_line, separator_line): a new aggregation."},
    {"feed", feed, METH_VARARGS,
     "feed(run, block): aggregate a block of whole lines; False once a row needs the Python readers."},
    {"finish", finish, METH_O, "finish(run): (rows, groups in order of first appearance), or None if a row was not clean."},
    {"lines", lines, METH_O, "lines(run): the lines fed so far."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_zeekconn", "Zeek conn.log aggregation in C.", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__zeekconn(void) { return PyModule_Create(&module); }
