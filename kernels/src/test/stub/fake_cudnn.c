// A pretend cuDNN 9 (libcudnn.so.9) for checking the Java side of the cuDNN binding on a machine without a GPU,
// next to fake_cuda.c ("device" memory is host memory). It computes no LSTM: it checks that every argument of
// every call arrives where cudnn_adv.h / cudnn_ops.h / cudnn_graph.h (9.6.0) put it, with the values CudnnRnn
// means (enums, sizes, the lengths on host and device, descriptor dims, workspace sizes it reported, the reserve
// space carried from forward to backward), and writes recognizable values: y = x[..., 0] + 1 + w[0] at valid steps
// (w[0]: the weight space's first element, weight_ih_l0[0, 0] if the weights were copied in),
// hy = hx + 1, cy = cx + 2, dx = dy[..., 0] at valid steps, dhx = dhy + 3, dcx = dcy + 4, dweights += 1.
// Any mismatch: CUDNN_STATUS_BAD_PARAM (2000) with the reason in cudnnGetLastErrorString.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

typedef int st;
enum { OK = 0, BAD = 2000 };
static char last[512];
static st bad(const char *why) { snprintf(last, sizeof last, "fake cuDNN: %s", why); return BAD; }
#define REQUIRE(c, why) do { if (!(c)) return bad(why); } while (0)

size_t cudnnGetVersion(void) { return 90600; }
const char *cudnnGetErrorString(st s) { return s == 0 ? "CUDNN_STATUS_SUCCESS" : s == BAD ? "CUDNN_STATUS_BAD_PARAM" : "CUDNN_STATUS_OTHER"; }
void cudnnGetLastErrorString(char *m, size_t n) { snprintf(m, n, "%s", last); last[0] = 0; }

struct handle { int magic; void *stream; };
st cudnnCreate(struct handle **h) { *h = calloc(1, sizeof **h); (*h)->magic = 0xC0DE; return OK; }
st cudnnDestroy(struct handle *h) { REQUIRE(h && h->magic == 0xC0DE, "bad handle"); free(h); return OK; }
st cudnnSetStream(struct handle *h, void *s) { REQUIRE(h && h->magic == 0xC0DE && s, "bad handle or null stream"); h->stream = s; return OK; }

struct tensor { int magic, type, nb, dims[8], strides[8]; };
st cudnnCreateTensorDescriptor(struct tensor **t) { *t = calloc(1, sizeof **t); (*t)->magic = 0x7E; return OK; }
st cudnnDestroyTensorDescriptor(struct tensor *t) { REQUIRE(t && t->magic == 0x7E, "bad tensor descriptor"); free(t); return OK; }
st cudnnSetTensorNdDescriptor(struct tensor *t, int type, int nb, const int *dims, const int *strides) {
    REQUIRE(t && t->magic == 0x7E && nb >= 1 && nb <= 8, "bad tensor descriptor");
    t->type = type; t->nb = nb;
    for (int i = 0; i < nb; i++) { t->dims[i] = dims[i]; t->strides[i] = strides[i]; }
    return OK;
}
st cudnnGetTensorNdDescriptor(const struct tensor *t, int req, int *type, int *nb, int *dims, int *strides) {
    REQUIRE(t && t->magic == 0x7E && req >= 3, "bad tensor descriptor query");
    *type = t->type; *nb = t->nb;
    for (int i = 0; i < t->nb && i < req; i++) { dims[i] = t->dims[i]; strides[i] = t->strides[i]; }
    return OK;
}

struct dropout { int magic; };
st cudnnCreateDropoutDescriptor(struct dropout **d) { *d = calloc(1, sizeof **d); (*d)->magic = 0xD0; return OK; }
st cudnnDestroyDropoutDescriptor(struct dropout *d) { REQUIRE(d && d->magic == 0xD0, "bad dropout descriptor"); free(d); return OK; }
st cudnnSetDropoutDescriptor(struct dropout *d, struct handle *h, float p, void *states, size_t size, unsigned long long seed) {
    REQUIRE(d && d->magic == 0xD0 && h && h->magic == 0xC0DE, "bad dropout or handle");
    REQUIRE(p == 0.0f && states == NULL && size == 0, "dropout must be 0 with no states");
    return OK;
}

struct rnn { int magic, type, input, hidden, layers, dirs; };
st cudnnCreateRNNDescriptor(struct rnn **r) { *r = calloc(1, sizeof **r); (*r)->magic = 0x22; return OK; }
st cudnnDestroyRNNDescriptor(struct rnn *r) { REQUIRE(r && r->magic == 0x22, "bad rnn descriptor"); free(r); return OK; }
st cudnnSetRNNDescriptor_v8(struct rnn *r, int algo, int cell, int bias, int dir, int inputMode, int type, int prec, int math,
                            int32_t input, int32_t hidden, int32_t proj, int32_t layers, struct dropout *d, uint32_t aux) {
    REQUIRE(r && r->magic == 0x22, "bad rnn descriptor");
    REQUIRE(algo == 0 && cell == 2 && bias == 2 && inputMode == 0, "expected ALGO_STANDARD, LSTM, DOUBLE_BIAS, LINEAR_INPUT");
    REQUIRE(dir == 0 || dir == 1, "direction");
    REQUIRE((type == 0 || type == 1) && prec == type, "data type and math precision");
    REQUIRE(type == 0 ? (math == 3 || math == 0) : math == 0, "math type: FMA (3) or DEFAULT (0) for float, DEFAULT for double");
    REQUIRE(input > 0 && hidden > 0 && proj == hidden && layers > 0, "sizes (projSize must equal hiddenSize)");
    REQUIRE(d && d->magic == 0xD0, "dropout descriptor");
    REQUIRE(aux == 1, "auxFlags must be CUDNN_RNN_PADDED_IO_ENABLED");
    r->type = type; r->input = input; r->hidden = hidden; r->layers = layers; r->dirs = dir + 1;
    return OK;
}

struct data { int magic, type, layout, maxSeq, batch, vector, lengths[4096]; double fill; };
st cudnnCreateRNNDataDescriptor(struct data **d) { *d = calloc(1, sizeof **d); (*d)->magic = 0xDA; return OK; }
st cudnnDestroyRNNDataDescriptor(struct data *d) { REQUIRE(d && d->magic == 0xDA, "bad data descriptor"); free(d); return OK; }
st cudnnSetRNNDataDescriptor(struct data *d, int type, int layout, int maxSeq, int batch, int vector, const int *lengths, void *fill) {
    REQUIRE(d && d->magic == 0xDA && layout == 2 && batch > 0 && batch <= 4096 && maxSeq > 0 && vector > 0 && lengths && fill,
            "data descriptor: BATCH_MAJOR_UNPACKED, sizes, lengths and a padding fill");
    d->type = type; d->layout = layout; d->maxSeq = maxSeq; d->batch = batch; d->vector = vector;
    for (int b = 0; b < batch; b++) { REQUIRE(lengths[b] >= 1 && lengths[b] <= maxSeq, "length out of range"); d->lengths[b] = lengths[b]; }
    d->fill = type == 0 ? *(float *)fill : *(double *)fill;
    REQUIRE(d->fill == 0, "padding fill must be 0");
    return OK;
}

// Weight space: per pseudo-layer, the 8 matrices (H x cols) then the 8 biases (H), like PyTorch's layout check.
static size_t elem(const struct rnn *r) { return r->type == 0 ? 4 : 8; }
static int cols_of(const struct rnn *r, int pseudo, int lin) { return lin >= 4 ? r->hidden : pseudo / r->dirs == 0 ? r->input : r->dirs * r->hidden; }
static size_t pseudo_elems(const struct rnn *r, int pseudo) {
    size_t n = 0; for (int lin = 0; lin < 8; lin++) n += (size_t)r->hidden * cols_of(r, pseudo, lin) + r->hidden; return n;
}
static size_t weight_bytes(const struct rnn *r) {
    size_t n = 0; for (int p = 0; p < r->layers * r->dirs; p++) n += pseudo_elems(r, p); return n * elem(r);
}
st cudnnGetRNNWeightSpaceSize(struct handle *h, struct rnn *r, size_t *size) {
    REQUIRE(h && h->magic == 0xC0DE && r && r->magic == 0x22 && size, "weight space size args");
    *size = weight_bytes(r); return OK;
}
st cudnnGetRNNWeightParams(struct handle *h, struct rnn *r, int32_t pseudo, size_t wsize, const void *w, int32_t lin,
                           struct tensor *md, void **ma, struct tensor *bd, void **ba) {
    REQUIRE(h && h->magic == 0xC0DE && r && r->magic == 0x22 && w, "weight params args");
    REQUIRE(wsize == weight_bytes(r), "weight space size differs from the one reported");
    REQUIRE(pseudo >= 0 && pseudo < r->layers * r->dirs && lin >= 0 && lin < 8, "pseudoLayer or linLayerID out of range");
    REQUIRE(md && md->magic == 0x7E && bd && bd->magic == 0x7E && ma && ba, "descriptors and address outputs");
    size_t at = 0;
    for (int p = 0; p < pseudo; p++) at += pseudo_elems(r, p);
    size_t m = at, b = at;
    for (int l = 0; l < 8; l++) b += (size_t)r->hidden * cols_of(r, pseudo, l);
    for (int l = 0; l < lin; l++) { m += (size_t)r->hidden * cols_of(r, pseudo, l); b += r->hidden; }
    *ma = (char *)w + m * elem(r); *ba = (char *)w + b * elem(r);
    int mdims[3] = {1, r->hidden, cols_of(r, pseudo, lin)}, bdims[3] = {1, r->hidden, 1}, s[3] = {0, 0, 1};
    cudnnSetTensorNdDescriptor(md, r->type, 3, mdims, s); cudnnSetTensorNdDescriptor(bd, r->type, 3, bdims, s);
    return OK;
}
#define WORK 1024
#define RESERVE 4096
st cudnnGetRNNTempSpaceSizes(struct handle *h, struct rnn *r, int mode, struct data *x, size_t *work, size_t *reserve) {
    REQUIRE(h && r && x && x->magic == 0xDA && work && reserve && (mode == 0 || mode == 1), "temp space args");
    *work = WORK; *reserve = mode == 1 ? RESERVE : 0; return OK;
}

static double get(int type, const void *p, size_t i) { return type == 0 ? ((const float *)p)[i] : ((const double *)p)[i]; }
static void put(int type, void *p, size_t i, double v) { if (type == 0) ((float *)p)[i] = (float)v; else ((double *)p)[i] = v; }

static st check_call(struct handle *h, struct rnn *r, const int32_t *devLens, struct data *x, struct data *y, struct tensor *hd,
                     struct tensor *cd, size_t wsize, const void *w, size_t worksize, void *work, size_t ressize, void *res) {
    REQUIRE(h && h->magic == 0xC0DE && h->stream, "handle without a stream");
    REQUIRE(r && r->magic == 0x22 && x && x->magic == 0xDA && y && y->magic == 0xDA, "descriptors");
    REQUIRE(x->vector == r->input && y->vector == r->dirs * r->hidden, "x/y vector sizes");
    REQUIRE(x->batch == y->batch && x->maxSeq == y->maxSeq && x->type == r->type && y->type == r->type, "x/y shapes");
    REQUIRE(devLens, "devSeqLengths is null");
    for (int b = 0; b < x->batch; b++) REQUIRE(devLens[b] == x->lengths[b] && y->lengths[b] == x->lengths[b], "devSeqLengths differ from the descriptor's");
    REQUIRE(hd && hd->magic == 0x7E && cd == hd && hd->nb == 3 && hd->dims[0] == r->layers * r->dirs && hd->dims[1] == x->batch
            && hd->dims[2] == r->hidden && hd->strides[0] == x->batch * r->hidden && hd->strides[1] == r->hidden && hd->strides[2] == 1,
            "h/c descriptor must be [L*D, B, H], strides [B*H, H, 1]");
    REQUIRE(wsize == weight_bytes(r) && w, "weight space");
    REQUIRE(worksize == WORK && work, "work space");
    REQUIRE(res == NULL ? ressize == 0 : ressize == RESERVE, "reserve space");
    return OK;
}

st cudnnRNNForward(struct handle *h, struct rnn *r, int mode, const int32_t *devLens, struct data *xd, const void *x,
                   struct data *yd, void *y, struct tensor *hd, const void *hx, void *hy, struct tensor *cd, const void *cx, void *cy,
                   size_t wsize, const void *w, size_t worksize, void *work, size_t ressize, void *res) {
    st s = check_call(h, r, devLens, xd, yd, hd, cd, wsize, w, worksize, work, ressize, res);
    if (s) return s;
    REQUIRE(mode == 0 || mode == 1, "forward mode");
    REQUIRE(mode == 1 ? res != NULL : 1, "training needs a reserve space");
    REQUIRE(x && y && hy && cy, "x, y, hy, cy");
    int T = xd->maxSeq, B = xd->batch, I = xd->vector, O = yd->vector, t = r->type;
    for (int b = 0; b < B; b++) for (int k = 0; k < xd->lengths[b]; k++) for (int j = 0; j < O; j++)
        put(t, y, ((size_t)b * T + k) * O + j, get(t, x, ((size_t)b * T + k) * I) + 1 + get(t, w, 0));
    size_t n = (size_t)r->layers * r->dirs * B * r->hidden;
    for (size_t i = 0; i < n; i++) { put(t, hy, i, (hx ? get(t, hx, i) : 0) + 1); put(t, cy, i, (cx ? get(t, cx, i) : 0) + 2); }
    if (res) ((int *)res)[0] = 0x5E5E;
    return OK;
}

st cudnnRNNBackwardData_v8(struct handle *h, struct rnn *r, const int32_t *devLens, struct data *yd, const void *y, const void *dy,
                           struct data *xd, void *dx, struct tensor *hd, const void *hx, const void *dhy, void *dhx,
                           struct tensor *cd, const void *cx, const void *dcy, void *dcx,
                           size_t wsize, const void *w, size_t worksize, void *work, size_t ressize, void *res) {
    st s = check_call(h, r, devLens, xd, yd, hd, cd, wsize, w, worksize, work, ressize, res);
    if (s) return s;
    REQUIRE(res && ((int *)res)[0] == 0x5E5E, "the reserve space is not the training forward's");
    REQUIRE(y && dy && dx, "y, dy, dx");
    int T = xd->maxSeq, B = xd->batch, I = xd->vector, O = yd->vector, t = r->type;
    for (int b = 0; b < B; b++) for (int k = 0; k < xd->lengths[b]; k++) for (int i = 0; i < I; i++)
        put(t, dx, ((size_t)b * T + k) * I + i, get(t, dy, ((size_t)b * T + k) * O));
    size_t n = (size_t)r->layers * r->dirs * B * r->hidden;
    for (size_t i = 0; i < n; i++) {
        if (dhx) put(t, dhx, i, (dhy ? get(t, dhy, i) : 0) + 3);
        if (dcx) put(t, dcx, i, (dcy ? get(t, dcy, i) : 0) + 4);
    }
    ((int *)res)[1] = 0xBD;
    return OK;
}

st cudnnRNNBackwardWeights_v8(struct handle *h, struct rnn *r, int add, const int32_t *devLens, struct data *xd, const void *x,
                              struct tensor *hd, const void *hx, struct data *yd, const void *y, size_t wsize, void *dw,
                              size_t worksize, void *work, size_t ressize, void *res) {
    st s = check_call(h, r, devLens, xd, yd, hd, hd, wsize, dw, worksize, work, ressize, res);
    if (s) return s;
    REQUIRE(add == 0, "expected CUDNN_WGRAD_MODE_ADD");
    REQUIRE(res && ((int *)res)[1] == 0xBD, "backward weights before backward data");
    REQUIRE(x && y, "x and y");
    for (size_t i = 0; i < wsize / elem(r); i++) put(r->type, dw, i, get(r->type, dw, i) + 1);
    return OK;
}
