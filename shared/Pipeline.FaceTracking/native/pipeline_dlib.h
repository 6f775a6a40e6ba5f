/* C ABI of libpipeline_dlib.so, the thin layer the .NET binding (DlibNative.cs) calls.
 *
 * Why a shim at all: dlib is a header-template C++ library, so nothing in it is callable from C#
 * as shipped; this file is the whole surface, plain C types only, and no C++ exception crosses it.
 * Every function that can fail returns a pdl_status; the message of the last failure on the calling
 * thread is read with pdl_last_error (P/Invoke keeps a call and the getter on the same OS thread).
 *
 * Threading: a context is NOT thread-safe (dlib's detector keeps scan state in the object, and the
 * context reuses its image and feature buffers across calls). Use one context per thread; contexts
 * created from the same predictor path share the read-only landmark model (about 100 MB), so many
 * contexts cost little.
 *
 * Images are packed rgb24 rows (R, G, B bytes), stride >= 3 * width bytes between rows; the caller's
 * buffer is only read, and only for the duration of the call.
 *
 * Box coordinates follow dlib's rectangle corners: (left, top) is the top-left pixel, (right, bottom)
 * the bottom-right pixel *inclusive*, so a box w pixels wide has right = left + w - 1. Boxes and
 * landmarks are floats: landmarks are sub-pixel (dlib itself rounds them to whole pixels). */
#ifndef PIPELINE_DLIB_H
#define PIPELINE_DLIB_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a signature or struct below changes; the binding refuses a stale library. */
#define PDL_ABI_VERSION 1

/* The library is built with hidden visibility: only these functions are exported. */
#if defined(__GNUC__)
#define PDL_API __attribute__((visibility("default")))
#else
#define PDL_API
#endif

typedef enum pdl_status {
    PDL_OK = 0,
    PDL_INVALID_ARGUMENT = 1, /* a null pointer, a bad size or stride, an out-of-range option */
    PDL_MODEL_NOT_FOUND = 2,  /* the predictor file does not exist or cannot be opened */
    PDL_MODEL_INVALID = 3,    /* the file is not a dlib shape_predictor (or is truncated) */
    PDL_OUT_OF_MEMORY = 4,
    PDL_INTERNAL = 5          /* any other exception thrown inside dlib */
} pdl_status;

typedef struct pdl_context pdl_context;

/* One face found by the HOG detector, in the coordinates of the full image passed in. */
typedef struct pdl_detection {
    float left, top, right, bottom;
    double score;        /* detection_confidence: > 0 is a detection; larger is surer */
    int32_t sub_detector; /* which of dlib's 5 HOG filters fired: 0 front, 1 left-looking,
                             2 right-looking, 3 front rotated left, 4 front rotated right */
    int32_t reserved;
} pdl_detection;

PDL_API int32_t pdl_abi_version(void);

/* Copies the calling thread's last error message (UTF-8, NUL-terminated, truncated to capacity)
 * and returns its full length in bytes without the NUL. */
PDL_API int32_t pdl_last_error(char* buffer, int32_t capacity);

/* Loads (or reuses) the 68-point predictor at utf8_path and creates a context with its own detector. */
PDL_API pdl_status pdl_create(const char* utf8_path, pdl_context** out_context);

/* Frees a context; null is allowed. The shared model is freed with its last context. */
PDL_API void pdl_destroy(pdl_context* context);

/* Number of landmarks the loaded model predicts (68 for shape_predictor_68_face_landmarks.dat). */
PDL_API int32_t pdl_part_count(const pdl_context* context);

/* Runs HOG face detection. The image is first reduced to grayscale, box-averaged by `downscale`
 * (1 = full size), then doubled `upsample` times (finds faces smaller than dlib's 80x80 window);
 * detections below `adjust_threshold` are dropped (0 is dlib's default; negative finds more).
 * The detections, in full-image coordinates and best first, stay in the context until the next call:
 * *out_count says how many, pdl_copy_detections fetches them. */
PDL_API pdl_status pdl_detect(pdl_context* context, const uint8_t* rgb24, int32_t width, int32_t height,
                      int32_t stride, int32_t downscale, int32_t upsample, double adjust_threshold,
                      int32_t* out_count);

/* Copies up to `capacity` detections of the last pdl_detect; returns how many were copied. */
PDL_API int32_t pdl_copy_detections(const pdl_context* context, pdl_detection* out, int32_t capacity);

/* Predicts the landmarks of the face in the given box and writes (x, y) pairs, part order as in
 * the model (iBUG 300-W for the 68-point model), into xy[0 .. 2 * pdl_part_count). */
PDL_API pdl_status pdl_landmarks(pdl_context* context, const uint8_t* rgb24, int32_t width, int32_t height,
                         int32_t stride, float left, float top, float right, float bottom,
                         float* xy, int32_t xy_capacity);

#ifdef __cplusplus
}
#endif

#endif
