// The kernels of hubs_kernels.h. In the batch evaluator, each instruction is a few branch-free
// operations on 512-bit vectors of 8 lanes, with the formulas of HubsCore's scalar `Machine`
// and `Evaluator` (same IEEE operations, same order), so every lane gets the scalar machine's
// bits; the Sobol sums add each term in the order of its sample, as a plain loop would. The
// compiler splits a 512-bit vector into as many registers as the level has: one on AVX-512,
// two on AVX2, four on SSE2. No contraction of a*b+c into one rounding: that would change bits.
#pragma STDC FP_CONTRACT OFF
// The helpers below take and return 512-bit vectors; they are always inlined, so no call ever
// passes one, and the warning that doing so under AVX2 would change the calling convention
// does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

#include "hubs_kernels.h"

#include <math.h>
#include <string.h>

typedef double v8d __attribute__((vector_size(64)));
typedef int64_t v8l __attribute__((vector_size(64)));

#define VECTORS (HUBS_BATCH_LANES / 8)

static inline __attribute__((always_inline)) v8d load(const double *p) {
    v8d v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline __attribute__((always_inline)) void store(double *p, v8d v) { memcpy(p, &v, sizeof v); }
static inline __attribute__((always_inline)) v8d splat(double c) { return (v8d){c, c, c, c, c, c, c, c}; }
/// m ? a : b, lane by lane (m is all ones or all zeros per lane).
static inline __attribute__((always_inline)) v8d pick(v8l m, v8d a, v8d b) {
    return (v8d)((m & (v8l)a) | (~m & (v8l)b));
}
static inline __attribute__((always_inline)) v8l nan_mask(v8d x) { return x != x; }
/// Kleene comparison: NaN if either side is NaN, else 1 or 0.
static inline __attribute__((always_inline)) v8d compared(v8d x, v8d y, v8l m) {
    return pick(nan_mask(x) | nan_mask(y), splat(NAN), pick(m, splat(1), splat(0)));
}

/// One unary instruction over the 8 vectors of a register: `z = f(x)`.
#define UNARY(expr)                                                                                    \
    for (int k = 0; k < VECTORS; k++) {                                                                \
        v8d x = load(xp + 8 * k);                                                                      \
        store(z + 8 * k, (expr));                                                                      \
    }

/// One binary instruction over the 8 vectors of a register: `z = f(x, y)`.
#define BINARY(expr)                                                                                   \
    for (int k = 0; k < VECTORS; k++) {                                                                \
        v8d x = load(xp + 8 * k), y = load(yp + 8 * k);                                                \
        store(z + 8 * k, (expr));                                                                      \
    }

static inline __attribute__((always_inline)) void scalar_op(
    const hubs_batch_instruction *i, const double *tables, double *z, const double *xp, const double *yp, uint8_t *fault) {
    int n = HUBS_BATCH_LANES;
    switch (i->op) {
    case HUBS_OP_ABS:
        for (int j = 0; j < n; j++) z[j] = fabs(xp[j]);
        break;
    case HUBS_OP_LOG:
    case HUBS_OP_LOG10:
        for (int j = 0; j < n; j++) {
            double v = xp[j];
            if (v != v) {
                z[j] = v;
            } else if (v <= 0) {
                fault[j] = 1;
                z[j] = NAN;
            } else {
                z[j] = i->op == HUBS_OP_LOG10 ? log10(v) : log(v);
            }
        }
        break;
    case HUBS_OP_SQRT:
        for (int j = 0; j < n; j++) {
            double v = xp[j];
            if (v < 0) {
                fault[j] = 1;
                z[j] = NAN;
            } else {
                z[j] = sqrt(v);
            }
        }
        break;
    case HUBS_OP_ROUND:
        for (int j = 0; j < n; j++) z[j] = round(xp[j]);
        break;
    case HUBS_OP_ROUND_DIGITS:
        for (int j = 0; j < n; j++) {
            double p = pow(10, round(yp[j]));
            z[j] = round(xp[j] * p) / p;
        }
        break;
    case HUBS_OP_LOOKUP: {
        const double *base = tables + i->b;
        double size = (double)i->c;
        for (int j = 0; j < n; j++) {
            double v = xp[j];
            if (v != v) {
                z[j] = v;
            } else if (v >= 0 && v < size) {
                z[j] = base[(long)v];
            } else {
                fault[j] = 1;
                z[j] = NAN;
            }
        }
        break;
    }
    default:
        break;
    }
}

static inline __attribute__((always_inline)) void run_body(
    const hubs_batch_instruction *code, long count, const double *tables, double *r, uint8_t *fault) {
    const long n = HUBS_BATCH_LANES;
    const v8d zero = splat(0), one = splat(1), nan = splat(NAN);
    for (long at = 0; at < count; at++) {
        const hubs_batch_instruction *i = code + at;
        double *z = r + (long)i->dst * n;
        const double *xp = r + (long)i->a * n;
        const double *yp = r + (long)i->b * n;
        switch (i->op) {
        case HUBS_OP_CONSTANT:
            for (int k = 0; k < VECTORS; k++) store(z + 8 * k, splat(i->imm));
            break;
        case HUBS_OP_MOVE: UNARY(x) break;
        case HUBS_OP_KNOWN: UNARY(pick(nan_mask(x), zero, one)) break;
        case HUBS_OP_NEGATE: UNARY(-x) break;
        case HUBS_OP_NOT: UNARY(pick(nan_mask(x), x, one - x)) break;
        case HUBS_OP_ADD: BINARY(x + y) break;
        case HUBS_OP_SUBTRACT: BINARY(x - y) break;
        case HUBS_OP_MULTIPLY: BINARY(x * y) break;
        case HUBS_OP_DIVIDE:
            for (int k = 0; k < VECTORS; k++) {
                v8d x = load(xp + 8 * k), d = load(yp + 8 * k);
                v8l by_zero = d == zero;
                store(z + 8 * k, pick(by_zero, nan, x / d));
                for (int j = 0; j < 8; j++)
                    if (by_zero[j]) fault[8 * k + j] = 1;
            }
            break;
        case HUBS_OP_LESS: BINARY(compared(x, y, x < y)) break;
        case HUBS_OP_LESS_EQUAL: BINARY(compared(x, y, x <= y)) break;
        case HUBS_OP_GREATER: BINARY(compared(x, y, x > y)) break;
        case HUBS_OP_GREATER_EQUAL: BINARY(compared(x, y, x >= y)) break;
        case HUBS_OP_EQUAL: BINARY(compared(x, y, x == y)) break;
        case HUBS_OP_NOT_EQUAL: BINARY(compared(x, y, x != y)) break;
        case HUBS_OP_AND3:
            BINARY(pick((x == zero) | (y == zero), zero, pick(nan_mask(x) | nan_mask(y), nan, one)))
            break;
        case HUBS_OP_OR3:
            BINARY(pick((x == one) | (y == one), one, pick(nan_mask(x) | nan_mask(y), nan, zero)))
            break;
        case HUBS_OP_SELECT: {
            const double *wp = r + (long)i->c * n;
            for (int k = 0; k < VECTORS; k++) {
                v8d c = load(xp + 8 * k);
                store(z + 8 * k, pick(nan_mask(c), c, pick(c != zero, load(yp + 8 * k), load(wp + 8 * k))));
            }
            break;
        }
        case HUBS_OP_CASE_FOLD: {
            v8d risk = splat(i->imm);
            BINARY(pick(nan_mask(x), x, pick(x != zero, risk, y)))
            break;
        }
        case HUBS_OP_MEMBER: {
            const double *t = tables + i->b;
            int size = i->c;
            int negated = i->imm != 0;
            for (int k = 0; k < VECTORS; k++) {
                v8d x = load(xp + 8 * k);
                v8l found = {0};
                for (int e = 0; e < size; e++) found |= x == splat(t[e]);
                if (negated) found = ~found;
                store(z + 8 * k, pick(nan_mask(x), x, pick(found, one, zero)));
            }
            break;
        }
        case HUBS_OP_MIN2: BINARY(pick(nan_mask(x) | nan_mask(y), nan, pick(y < x, y, x))) break;
        case HUBS_OP_MAX2: BINARY(pick(nan_mask(x) | nan_mask(y), nan, pick(y > x, y, x))) break;
        case HUBS_OP_CLAMP: {
            const double *wp = r + (long)i->c * n;
            for (int k = 0; k < VECTORS; k++) {
                v8d v = load(xp + 8 * k), lo = load(yp + 8 * k), hi = load(wp + 8 * k);
                v8d c = pick(v < lo, lo, pick(v > hi, hi, v));
                store(z + 8 * k, pick(nan_mask(v) | nan_mask(lo) | nan_mask(hi), nan, c));
            }
            break;
        }
        case HUBS_OP_SCALE: {
            v8d offset = splat(i->imm), width = splat(i->imm2), hundred = splat(100);
            for (int k = 0; k < VECTORS; k++) {
                v8d v = load(xp + 8 * k);
                v8d s = (v - offset) / width * hundred;
                v8d c = pick(s < zero, zero, pick(s > hundred, hundred, s));
                store(z + 8 * k, pick(nan_mask(v), v, c));
            }
            break;
        }
        default:
            scalar_op(i, tables, z, xp, yp, fault);
            break;
        }
    }
}

// Shuffles of two vectors x and y (x's lanes are 0-7, y's 8-15): lanes 0, 2, 4, 6 of each,
// alternating; lanes 1, 3, 5, 7; pairs 0-1 and 4-5; pairs 2-3 and 6-7; low halves; high halves.
#define EVENS(x, y) __builtin_shufflevector(x, y, 0, 8, 2, 10, 4, 12, 6, 14)
#define ODDS(x, y) __builtin_shufflevector(x, y, 1, 9, 3, 11, 5, 13, 7, 15)
#define PAIRS_04(x, y) __builtin_shufflevector(x, y, 0, 1, 8, 9, 4, 5, 12, 13)
#define PAIRS_26(x, y) __builtin_shufflevector(x, y, 2, 3, 10, 11, 6, 7, 14, 15)
#define LOW_HALVES(x, y) __builtin_shufflevector(x, y, 0, 1, 2, 3, 8, 9, 10, 11)
#define HIGH_HALVES(x, y) __builtin_shufflevector(x, y, 4, 5, 6, 7, 12, 13, 14, 15)

/// Rows 0 ..< 8 of `row` (`stride` apart), columns 0 ..< 8 of each, into registers 0 ..< 8 (64
/// lanes apart) at lanes 0 ..< 8 of `z`: an 8 × 8 transpose in three rounds of shuffles (pairs
/// of rows, then pairs of pairs, then halves), copies only.
static inline __attribute__((always_inline)) void transpose8(const double *row, long stride, double *z) {
    const long n = HUBS_BATCH_LANES;
    v8d r0 = load(row), r1 = load(row + stride), r2 = load(row + 2 * stride), r3 = load(row + 3 * stride);
    v8d r4 = load(row + 4 * stride), r5 = load(row + 5 * stride), r6 = load(row + 6 * stride), r7 = load(row + 7 * stride);
    // Columns 0, 2, 4, 6 (a, c, e, g) and 1, 3, 5, 7 (b, d, f, h) of each pair of rows, alternating.
    v8d a = EVENS(r0, r1), b = ODDS(r0, r1), c = EVENS(r2, r3), d = ODDS(r2, r3);
    v8d e = EVENS(r4, r5), f = ODDS(r4, r5), g = EVENS(r6, r7), h = ODDS(r6, r7);
    // Four rows each of columns 0 and 4, 2 and 6, 1 and 5, 3 and 7.
    v8d ac04 = PAIRS_04(a, c), ac26 = PAIRS_26(a, c), bd15 = PAIRS_04(b, d), bd37 = PAIRS_26(b, d);
    v8d eg04 = PAIRS_04(e, g), eg26 = PAIRS_26(e, g), fh15 = PAIRS_04(f, h), fh37 = PAIRS_26(f, h);
    // All eight rows of one column: the low halves of two four-row vectors, or the high halves.
    store(z + 0 * n, LOW_HALVES(ac04, eg04));
    store(z + 4 * n, HIGH_HALVES(ac04, eg04));
    store(z + 2 * n, LOW_HALVES(ac26, eg26));
    store(z + 6 * n, HIGH_HALVES(ac26, eg26));
    store(z + 1 * n, LOW_HALVES(bd15, fh15));
    store(z + 5 * n, HIGH_HALVES(bd15, fh15));
    store(z + 3 * n, LOW_HALVES(bd37, fh37));
    store(z + 7 * n, HIGH_HALVES(bd37, fh37));
}

static inline __attribute__((always_inline)) void transpose_body(
    const double *rows, long n, long stride, long columns, double fill, long lanes, double *r) {
    const long width = HUBS_BATCH_LANES;
    for (long j0 = 0; j0 < lanes; j0 += 8) {
        long m = n - j0;
        if (m >= 8) {
            const double *row = rows + j0 * stride;
            long s = 0;
            for (; s + 8 <= columns; s += 8) transpose8(row + s, stride, r + s * width + j0);
            for (; s < columns; s++)
                for (long j = 0; j < 8; j++) r[s * width + j0 + j] = row[j * stride + s];
        } else {
            for (long s = 0; s < columns; s++)
                for (long j = 0; j < 8; j++) r[s * width + j0 + j] = j < m ? rows[(j0 + j) * stride + s] : fill;
        }
    }
}

static inline __attribute__((always_inline)) void leaves_body(
    const double *raw, long leaf_count, const double *missing, const double *share, double *values, double *coverage) {
    const long n = HUBS_BATCH_LANES;
    for (int k = 0; k < VECTORS; k++) store(coverage + 8 * k, splat(0));
    for (long l = 0; l < leaf_count; l++) {
        v8d m = splat(missing[l]), sh = splat(share[l]);
        for (int k = 0; k < VECTORS; k++) {
            v8d x = load(raw + l * n + 8 * k);
            v8l unknown = nan_mask(x);
            v8d clamped = pick(x > splat(100), splat(100), pick(x < splat(0), splat(0), x));
            store(values + l * n + 8 * k, pick(unknown, m, clamped));
            store(coverage + 8 * k, load(coverage + 8 * k) + pick(unknown, splat(0), sh));
        }
    }
}

/// The groups in post-order over `vectors` × 8 lanes, with the formulas of HubsCore's
/// `Evaluator.aggregate`. A leaf child v's risks are at `leaf_lanes + v * 64` (a batch: one
/// candidate per lane) or, where `leaf_lanes` is NULL, `leaf_values[v]` in every lane (one
/// candidate under many weight draws); group g's risks go to `group_lanes + g * 64`. Child entry
/// e weighs `w[e]` in every lane, or `w[e * 64 + lane]` with `lane_weights`.
static inline __attribute__((always_inline)) void groups_body(
    const hubs_group *groups, long group_count, const int32_t *children, long leaf_count, const double *leaf_lanes,
    const double *leaf_values, const double *w, int lane_weights, long vectors, double *group_lanes) {
    const long n = HUBS_BATCH_LANES;
    for (long g = 0; g < group_count; g++) {
        const hubs_group *p = groups + g;
        double *z = group_lanes + g * n;
        int first = p->child_start, end = p->child_start + p->child_count;
        if (p->kind == HUBS_GROUP_GEOMETRIC) {
            for (long j = 0; j < 8 * vectors; j++) {
                double s = 0, total = 0;
                for (int e = first; e < end; e++) {
                    long v = children[e];
                    double r = v >= leaf_count ? group_lanes[(v - leaf_count) * n + j]
                               : leaf_lanes ? leaf_lanes[v * n + j] : leaf_values[v];
                    double we = lane_weights ? w[e * n + j] : w[e];
                    if (r == r) {
                        s += we * log1p(-r / 100);
                        total += we;
                    }
                }
                z[j] = total > 0 ? 100 * -expm1(s / total) : NAN;
            }
            continue;
        }
        for (int k = 0; k < vectors; k++) {
            v8d s = splat(0), total = splat(0), m = splat(-INFINITY);
            for (int e = first; e < end; e++) {
                long v = children[e];
                v8d c = v >= leaf_count ? load(group_lanes + (v - leaf_count) * n + 8 * k)
                        : leaf_lanes ? load(leaf_lanes + v * n + 8 * k) : splat(leaf_values[v]);
                v8d we = lane_weights ? load(w + e * n + 8 * k) : splat(w[e]);
                v8l skipped = nan_mask(c);
                if (p->kind == HUBS_GROUP_MEAN) s += pick(skipped, splat(0), we * c);
                else m = pick(c > m, c, m);
                total += pick(skipped, splat(0), we);
            }
            store(z + 8 * k, pick(total > splat(0), p->kind == HUBS_GROUP_MEAN ? s / total : m, splat(NAN)));
        }
    }
}

/// A batch's groups: leaves and groups one after another in `values`, one weight per child.
static inline __attribute__((always_inline)) void batch_groups_body(
    const hubs_group *groups, long group_count, const int32_t *children, const double *w, long leaf_count,
    double *values) {
    groups_body(groups, group_count, children, leaf_count, values, NULL, w, 0, VECTORS, values + leaf_count * HUBS_BATCH_LANES);
}

/// One candidate's groups under weight draws, one draw per lane.
static inline __attribute__((always_inline)) void draw_groups_body(
    const hubs_group *groups, long group_count, const int32_t *children, long leaf_count, const double *leaf_values,
    const double *weights, long vectors, double *values) {
    groups_body(groups, group_count, children, leaf_count, NULL, leaf_values, weights, 1, vectors, values);
}

/// The sums of one sample's Sobol terms for inputs `first` ..< `first` + 8·V, computed from each
/// drawn row's outputs as they are read (row j: f(ABᵢ) for every input i, then f(A) and f(B) at
/// `fa`, `fa` + 1): for input i, term i = f(B)·(f(ABᵢ) − f(A)) and term k + i =
/// (f(A) − f(ABᵢ))², written as d = f(ABᵢ) − f(A), f(B)·d and d·d (the same two roundings:
/// f(A) − f(ABᵢ) is exactly −d, and its square is exactly d·d). Each sum adds in the order of
/// `js`. `V` is a constant after inlining, so the 2·V sums stay in registers.
static inline __attribute__((always_inline)) void sobol_sums_v(
    const double *rows, long width, long fa_at, long first, const int64_t *js, long count, double *out, const int V) {
    v8d firsts[4], totals[4];
    double outputs = 0;
    for (int v = 0; v < V; v++) firsts[v] = totals[v] = splat(0);
    // The rows are drawn at random from a table larger than the core's cache, and the draws
    // are known in advance: ask for the row `ahead` draws on while adding this one.
    const long ahead = 16;
    for (long i = 0; i < count; i++) {
        if (i + ahead < count) {
            const double *next = rows + js[i + ahead] * width;
            for (long b = 0; b < width; b += 8) __builtin_prefetch(next + b);
        }
        const double *row = rows + js[i] * width;
        outputs += row[fa_at] + row[fa_at + 1];
        v8d fa = splat(row[fa_at]), fb = splat(row[fa_at + 1]);
        for (int v = 0; v < V; v++) {
            v8d d = load(row + first + 8 * v) - fa;
            firsts[v] += fb * d;
            totals[v] += d * d;
        }
    }
    for (int v = 0; v < V; v++) {
        store(out + 8 * v, firsts[v]);
        store(out + 8 * (V + v), totals[v]);
    }
    out[16 * V] = outputs;
}

static inline __attribute__((always_inline)) void sobol_sums_body(
    const double *rows, long width, long fa_at, long first, long vectors, const int64_t *js, long count, double *out) {
    switch (vectors) {
    case 1: sobol_sums_v(rows, width, fa_at, first, js, count, out, 1); break;
    case 2: sobol_sums_v(rows, width, fa_at, first, js, count, out, 2); break;
    case 3: sobol_sums_v(rows, width, fa_at, first, js, count, out, 3); break;
    default: sobol_sums_v(rows, width, fa_at, first, js, count, out, 4); break;
    }
}

#if defined(__x86_64__)
#define AVX512 __attribute__((target("avx512f,avx512dq,avx512vl")))
#define AVX2 __attribute__((target("avx2")))
#else
#define AVX512
#define AVX2
#endif

/// The inlined body `name` compiled once per level, and a table of the three, indexed by level.
#define LEVELS(name, params, args)                                                                     \
    AVX512 static void name##_avx512 params { name args; }                                              \
    AVX2 static void name##_avx2 params { name args; }                                                  \
    static void name##_baseline params { name args; }                                                  \
    static void (*const name##_at[3]) params = {name##_baseline, name##_avx2, name##_avx512};

LEVELS(run_body,
       (const hubs_batch_instruction *code, long count, const double *tables, double *r, uint8_t *fault),
       (code, count, tables, r, fault))
LEVELS(transpose_body,
       (const double *rows, long n, long stride, long columns, double fill, long lanes, double *r),
       (rows, n, stride, columns, fill, lanes, r))
LEVELS(leaves_body,
       (const double *raw, long leaf_count, const double *missing, const double *share, double *values,
        double *coverage),
       (raw, leaf_count, missing, share, values, coverage))
LEVELS(batch_groups_body,
       (const hubs_group *groups, long group_count, const int32_t *children, const double *w, long leaf_count,
        double *values),
       (groups, group_count, children, w, leaf_count, values))

LEVELS(sobol_sums_body,
       (const double *rows, long width, long fa_at, long first, long vectors, const int64_t *js, long count,
        double *out),
       (rows, width, fa_at, first, vectors, js, count, out))

LEVELS(draw_groups_body,
       (const hubs_group *groups, long group_count, const int32_t *children, long leaf_count,
        const double *leaf_values, const double *weights, long vectors, double *values),
       (groups, group_count, children, leaf_count, leaf_values, weights, vectors, values))

int hubs_kernel_level(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return HUBS_LEVEL_AVX512;
    if (__builtin_cpu_supports("avx2")) return HUBS_LEVEL_AVX2;
#endif
    return HUBS_LEVEL_BASELINE;
}

static int clamped(int level) { return level < 0 ? 0 : (level > 2 ? 2 : level); }

void hubs_batch_run(
    int level, const hubs_batch_instruction *code, long count, const double *tables, double *registers,
    uint8_t *fault) {
    run_body_at[clamped(level)](code, count, tables, registers, fault);
}

void hubs_batch_transpose(
    int level, const double *rows, long n, long stride, long columns, double fill, long lanes, double *registers) {
    transpose_body_at[clamped(level)](rows, n, stride, columns, fill, lanes, registers);
}

void hubs_batch_leaves(
    int level, const double *raw, long leaf_count, const double *missing, const double *share, double *values,
    double *coverage) {
    leaves_body_at[clamped(level)](raw, leaf_count, missing, share, values, coverage);
}

void hubs_batch_groups(
    int level, const hubs_group *groups, long group_count, const int32_t *children, const double *weights,
    long leaf_count, double *values) {
    batch_groups_body_at[clamped(level)](groups, group_count, children, weights, leaf_count, values);
}

void hubs_draw_groups(
    int level, const hubs_group *groups, long group_count, const int32_t *children, long leaf_count,
    const double *leaf_values, const double *weights, long vectors, double *values) {
    draw_groups_body_at[clamped(level)](groups, group_count, children, leaf_count, leaf_values, weights, vectors, values);
}

void hubs_sobol_sums(
    int level, const double *rows, long width, long fa_at, long first, long vectors, const int64_t *js, long count,
    double *out) {
    sobol_sums_body_at[clamped(level)](rows, width, fa_at, first, vectors, js, count, out);
}

/// The variances of `lanes` (1 to 4) samples side by side, from the sums of their outputs: each
/// one's sum of squares is the scalar loop's, in its order; only the four chains of additions
/// overlap in time.
static inline __attribute__((always_inline)) void variances(
    const double *p, const int64_t *const *s, const double *sums, int lanes, long count, double *out) {
    double mean[4] = {0, 0, 0, 0}, v[4] = {0, 0, 0, 0};
    for (int l = 0; l < lanes; l++) mean[l] = sums[l] / (double)(2 * count);
    for (long j = 0; j < count; j++)
        for (int l = 0; l < lanes; l++) {
            double a = p[2 * s[l][j]] - mean[l], b = p[2 * s[l][j] + 1] - mean[l];
            v[l] += a * a + b * b;
        }
    for (int l = 0; l < lanes; l++) out[l] = v[l] / (double)(2 * count);
}

void hubs_sobol_variances(
    const double *pairs, const int64_t *const *samples, const double *sums, long sample_count, long count, double *out) {
    long s = 0;
    for (; s + 4 <= sample_count; s += 4) variances(pairs, samples + s, sums + s, 4, count, out + s);
    for (; s < sample_count; s++) variances(pairs, samples + s, sums + s, 1, count, out + s);
}
