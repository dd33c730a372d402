// Numeric kernels of hubs: the batch evaluator's loops and the Sobol bootstrap's sums, written
// once over 512-bit vectors. On x86-64 each is compiled three times, for AVX-512, for AVX2 and
// for plain x86-64 (SSE2); on other processors the three levels are the same plain build. The
// caller picks the widest its processor runs (`hubs_kernel_level`); every level does the very
// same IEEE operations in the same order, so every level gives the same bits.
#ifndef HUBS_KERNELS_H
#define HUBS_KERNELS_H

#include <stdint.h>

/// Candidates scored together by one batch run: register r of lane j is at `r * 64 + j`.
#define HUBS_BATCH_LANES 64

/// The opcodes of the jump-free batch program (the subset of HubsCore's `OpCode` it uses).
typedef enum {
    HUBS_OP_CONSTANT, HUBS_OP_MOVE, HUBS_OP_KNOWN, HUBS_OP_NEGATE, HUBS_OP_NOT,
    HUBS_OP_ADD, HUBS_OP_SUBTRACT, HUBS_OP_MULTIPLY, HUBS_OP_DIVIDE,
    HUBS_OP_LESS, HUBS_OP_LESS_EQUAL, HUBS_OP_GREATER, HUBS_OP_GREATER_EQUAL, HUBS_OP_EQUAL, HUBS_OP_NOT_EQUAL,
    HUBS_OP_AND3, HUBS_OP_OR3, HUBS_OP_SELECT, HUBS_OP_CASE_FOLD, HUBS_OP_MEMBER,
    HUBS_OP_MIN2, HUBS_OP_MAX2, HUBS_OP_CLAMP, HUBS_OP_ABS, HUBS_OP_LOG, HUBS_OP_LOG10, HUBS_OP_SQRT,
    HUBS_OP_ROUND, HUBS_OP_ROUND_DIGITS, HUBS_OP_LOOKUP, HUBS_OP_SCALE
} hubs_batch_op;

/// One instruction of the batch program; the operands mean what they mean in HubsCore's
/// `Instruction` (see its `OpCode` table).
typedef struct {
    int32_t op;
    int32_t dst, a, b, c;
    double imm, imm2;
} hubs_batch_instruction;

/// The vector widths a kernel can be run with.
typedef enum { HUBS_LEVEL_BASELINE = 0, HUBS_LEVEL_AVX2 = 1, HUBS_LEVEL_AVX512 = 2 } hubs_level;

/// The widest level this processor runs.
int hubs_kernel_level(void);

/// Runs `count` instructions over 64 lanes of `registers`; a lane that meets a possible fault
/// (division by zero, log of x <= 0, square root of x < 0, a map index outside its table) is
/// marked 1 in `fault` and gets NaN. `level` must not exceed `hubs_kernel_level()`.
void hubs_batch_run(
    int level, const hubs_batch_instruction *code, long count, const double *tables, double *registers,
    uint8_t *fault);

/// Turns `n` rows (at most 64) of `columns` doubles each, `stride` apart at `rows`, into
/// registers of 64 lanes: column s of row j goes to `registers[s * 64 + j]` (fact rows into a
/// batch's fact registers, or weight draws into one lane each); lanes `n` ..< `lanes` (`lanes` a
/// multiple of 8, at most 64) get `fill`, and lanes from `lanes` on are not written. Eight rows
/// by eight columns at a time, turned in vector registers.
void hubs_batch_transpose(
    int level, const double *rows, long n, long stride, long columns, double fill, long lanes, double *registers);

/// How a group combines its children (HubsCore's `GroupPlan.Kind`).
typedef enum { HUBS_GROUP_MEAN, HUBS_GROUP_GEOMETRIC, HUBS_GROUP_MAX } hubs_group_kind;

/// One group of the aggregation plan (HubsCore's `GroupPlan`): its children are the entries
/// `child_start ..< child_start + child_count` of the child list and of the weights.
typedef struct {
    int32_t kind;
    int32_t child_start, child_count;
} hubs_group;

/// The leaves of a batch, with the formulas of HubsCore's `Evaluator.finish`: leaf l's raw
/// risks (64 lanes at `raw + l * 64`) clamped to 0...100, or `missing[l]` where unknown, into
/// `values + l * 64`; `coverage` (64 lanes) gets `share[l]` added for every known leaf.
void hubs_batch_leaves(
    int level, const double *raw, long leaf_count, const double *missing, const double *share, double *values,
    double *coverage);

/// The groups of a batch in post-order, with the formulas of HubsCore's `Evaluator.aggregate`:
/// group g's 64 risks go to `values + (leaf_count + g) * 64`; child value v is at
/// `values + v * 64`; `weights` has one weight per child entry.
void hubs_batch_groups(
    int level, const hubs_group *groups, long group_count, const int32_t *children, const double *weights,
    long leaf_count, double *values);

/// One candidate's groups under up to 64 weight draws, one draw per lane, with the formulas of
/// `hubs_batch_groups`: the leaves' risks are `leaf_values` (one each, the same in every lane),
/// the weight of child entry e in lane d is `weights[e * 64 + d]`, and group g's risks go to
/// `values + g * 64`. Only the first `vectors` × 8 lanes are computed.
void hubs_draw_groups(
    int level, const hubs_group *groups, long group_count, const int32_t *children, long leaf_count,
    const double *leaf_values, const double *weights, long vectors, double *values);

/// The sums of the Sobol estimators' terms over one sample (`js`: `count` indices of rows of
/// `width` doubles at `rows`; row j holds f(ABᵢ) for every input i, then f(A) and f(B) at
/// `fa_at` and `fa_at` + 1), for the inputs `first` ..< `first` + 8 × `vectors` (`vectors` at
/// most 4): into `out`, 8 × `vectors` sums of f(B)·(f(ABᵢ) − f(A)), then as many of
/// (f(A) − f(ABᵢ))², then the sum of f(A) + f(B) (16 × `vectors` + 1 numbers), each adding in
/// the order of `js`. Lanes past the last input hold whatever the row's padding gives.
void hubs_sobol_sums(
    int level, const double *rows, long width, long fa_at, long first, long vectors, const int64_t *js, long count,
    double *out);

/// For each of `sample_count` samples (`samples[s]`: `count` indices into the pairs (f(A), f(B))
/// at `pairs`; `sums[s]`: the sum of f(A) + f(B) over them, in order, as `hubs_sobol_sums`
/// gives it), the variance of its outputs: the mean of the squares about their mean (adding
/// (a - m)^2 + (b - m)^2 in order), into `out[s]`. Samples are computed four at a time, each
/// with its own additions in its own order.
void hubs_sobol_variances(
    const double *pairs, const int64_t *const *samples, const double *sums, long sample_count, long count, double *out);

/// SHA-256's 64 round constants (for the plain compression in HubsCore as well).
const uint32_t *hubs_sha256_constants(void);

/// Whether this processor has the SHA extensions `hubs_sha256_blocks` needs (with SSSE3 and
/// SSE4.1); without them, it must not be called.
int hubs_sha256_native(void);

/// SHA-256's compression of `blocks` 64-byte blocks at `data` into `state` (the eight words
/// H0...H7), with the SHA instructions. Padding is the caller's.
void hubs_sha256_blocks(uint32_t *state, const uint8_t *data, long blocks);

#endif
