// libpipeline_dlib.so: dlib's HOG face detector and 68-point landmark model behind the C ABI of
// pipeline_dlib.h. Built by native/build.sh from the csproj; see that header for the contract.
#include "pipeline_dlib.h"

#include "gray_image.h"
#include "landmark_model.h"

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms/interpolation.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace {

using pipeline_dlib::landmark_model;

// Largest side accepted, and the largest image HOG is run on after upsampling: beyond these dlib's
// feature pyramid needs gigabytes, so a hostile or mistaken size fails fast instead.
constexpr int32_t max_side = 1 << 15;
constexpr long max_detect_pixels = 1L << 26;
constexpr int32_t max_downscale = 16;
constexpr int32_t max_upsample = 3;

thread_local std::string last_error;

pdl_status fail(pdl_status status, std::string message)
{
    last_error = std::move(message);
    return status;
}

// Runs body, turning every exception into a status and a message: nothing may unwind into .NET.
template <typename F>
pdl_status guarded(const char* what, F&& body) noexcept
{
    try
    {
        return body();
    }
    catch (const std::bad_alloc&)
    {
        return fail(PDL_OUT_OF_MEMORY, std::string(what) + ": out of memory");
    }
    catch (const std::exception& e)
    {
        return fail(PDL_INTERNAL, std::string(what) + ": " + e.what());
    }
    catch (...)
    {
        return fail(PDL_INTERNAL, std::string(what) + ": unknown C++ exception");
    }
}

// Contexts on the same path share one immutable model: it is ~100 MB and takes 1-2 s to read.
// Keyed by path: a file replaced in place is re-read only once every context on it is gone.
std::mutex models_lock;
std::map<std::string, std::weak_ptr<const landmark_model>> models;

std::shared_ptr<const landmark_model> load_model(const std::string& path, pdl_status& status, std::string& error)
{
    std::lock_guard<std::mutex> guard(models_lock);
    if (auto found = models.find(path); found != models.end())
    {
        if (auto cached = found->second.lock())
            return cached;
    }

    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        status = PDL_MODEL_NOT_FOUND;
        error = "cannot open the shape predictor '" + path + "': " + std::strerror(errno);
        return nullptr;
    }
    try
    {
        auto model = std::make_shared<const landmark_model>(in);
        models[path] = model;
        return model;
    }
    catch (const std::bad_alloc&)
    {
        throw;
    }
    catch (const std::exception& e)
    {
        status = PDL_MODEL_INVALID;
        error = "'" + path + "' is not a dlib shape predictor: " + e.what();
        return nullptr;
    }
}

pdl_status check_image(const uint8_t* rgb24, int32_t width, int32_t height, int32_t stride)
{
    if (rgb24 == nullptr)
        return fail(PDL_INVALID_ARGUMENT, "image pointer is null");
    if (width <= 0 || height <= 0 || width > max_side || height > max_side)
        return fail(PDL_INVALID_ARGUMENT, "image size " + std::to_string(width) + "x" + std::to_string(height) +
                                              " is outside 1.." + std::to_string(max_side));
    if (stride < 3L * width)
        return fail(PDL_INVALID_ARGUMENT, "stride " + std::to_string(stride) + " is less than 3 * width (" +
                                              std::to_string(3L * width) + ")");
    return PDL_OK;
}

// dlib builds its detector by entropy-decoding a serialised copy compiled into the library: about 0.24 s of
// CPU, which every context (one per tracked 10 s chunk) used to pay again. Decoded once; contexts copy it (a few
// small filters) and own their copy, since scanning keeps scratch state in the detector.
const dlib::frontal_face_detector& detector_prototype()
{
    static const dlib::frontal_face_detector prototype = dlib::get_frontal_face_detector();
    return prototype;
}

} // namespace

struct pdl_context {
    std::shared_ptr<const landmark_model> model;
    dlib::frontal_face_detector detector = detector_prototype();
    // Reused across calls so that steady-state video frames do not reallocate.
    dlib::array2d<unsigned char> gray;
    dlib::array2d<unsigned char> upsampled;
    std::vector<uint32_t> column_sums;
    std::vector<dlib::rect_detection> raw;
    std::vector<pdl_detection> detections;
    std::vector<float> shape;
    std::vector<float> features;
    std::vector<const float*> leaves;
};

extern "C" {

int32_t pdl_abi_version(void) { return PDL_ABI_VERSION; }

int32_t pdl_last_error(char* buffer, int32_t capacity)
{
    const std::string& message = last_error;
    if (buffer != nullptr && capacity > 0)
    {
        const size_t n = std::min(message.size(), static_cast<size_t>(capacity - 1));
        std::memcpy(buffer, message.data(), n);
        buffer[n] = '\0';
    }
    return static_cast<int32_t>(message.size());
}

pdl_status pdl_create(const char* utf8_path, pdl_context** out_context)
{
    if (out_context == nullptr)
        return fail(PDL_INVALID_ARGUMENT, "out_context is null");
    *out_context = nullptr;
    if (utf8_path == nullptr || *utf8_path == '\0')
        return fail(PDL_INVALID_ARGUMENT, "shape predictor path is empty");

    return guarded("pdl_create", [&] {
        pdl_status status = PDL_OK;
        std::string error;
        auto model = load_model(utf8_path, status, error);
        if (!model)
            return fail(status, error);

        auto context = std::make_unique<pdl_context>();
        context->model = std::move(model);
        context->shape.resize(context->model->dims());
        context->features.resize(context->model->max_features());
        context->leaves.resize(context->model->max_trees());
        *out_context = context.release();
        return PDL_OK;
    });
}

void pdl_destroy(pdl_context* context)
{
    delete context; // the destructors do not throw
}

int32_t pdl_part_count(const pdl_context* context)
{
    return context == nullptr ? 0 : static_cast<int32_t>(context->model->part_count());
}

pdl_status pdl_detect(pdl_context* context, const uint8_t* rgb24, int32_t width, int32_t height,
                      int32_t stride, int32_t downscale, int32_t upsample, double adjust_threshold,
                      int32_t* out_count)
{
    if (context == nullptr || out_count == nullptr)
        return fail(PDL_INVALID_ARGUMENT, "context or out_count is null");
    *out_count = 0;
    context->detections.clear();
    if (pdl_status s = check_image(rgb24, width, height, stride); s != PDL_OK)
        return s;
    if (downscale < 1 || downscale > max_downscale)
        return fail(PDL_INVALID_ARGUMENT, "downscale " + std::to_string(downscale) + " is outside 1.." + std::to_string(max_downscale));
    if (upsample < 0 || upsample > max_upsample)
        return fail(PDL_INVALID_ARGUMENT, "upsample " + std::to_string(upsample) + " is outside 0.." + std::to_string(max_upsample));
    const long work_pixels = (static_cast<long>(width / downscale) << upsample) * (static_cast<long>(height / downscale) << upsample);
    if (work_pixels > max_detect_pixels)
        return fail(PDL_INVALID_ARGUMENT, "detection would run on " + std::to_string(work_pixels) +
                                              " pixels after downscale/upsample; the limit is " + std::to_string(max_detect_pixels));

    return guarded("pdl_detect", [&] {
        const long reduced_w = width / downscale, reduced_h = height / downscale;
        // Below one HOG cell there is nothing to scan (and no face could fit anyway).
        if (reduced_w < 8 || reduced_h < 8)
            return PDL_OK;

        pipeline_dlib::rgb24_to_gray(rgb24, width, height, stride, downscale, context->gray, context->column_sums);
        dlib::array2d<unsigned char>* image = &context->gray;
        dlib::pyramid_down<2> pyramid;
        for (int32_t i = 0; i < upsample; ++i)
        {
            // dlib's Python API upsamples the same way: pyramid_up with the detector's pyramid_down<2>.
            dlib::pyramid_up(*image, image == &context->gray ? context->upsampled : context->gray, pyramid);
            image = image == &context->gray ? &context->upsampled : &context->gray;
        }

        context->raw.clear();
        context->detector(*image, context->raw, adjust_threshold);

        context->detections.reserve(context->raw.size());
        for (const dlib::rect_detection& d : context->raw)
        {
            // Back through the upsampling (dlib's own mapping), then spread each reduced pixel over
            // the downscale x downscale block it averaged, so the box keeps its pixel extent.
            const dlib::drectangle r = upsample > 0 ? pyramid.rect_down(dlib::drectangle(d.rect), upsample)
                                                    : dlib::drectangle(d.rect);
            pdl_detection out{};
            out.left = static_cast<float>(r.left() * downscale);
            out.top = static_cast<float>(r.top() * downscale);
            out.right = static_cast<float>((r.right() + 1) * downscale - 1);
            out.bottom = static_cast<float>((r.bottom() + 1) * downscale - 1);
            out.score = d.detection_confidence;
            out.sub_detector = static_cast<int32_t>(d.weight_index);
            context->detections.push_back(out);
        }
        std::stable_sort(context->detections.begin(), context->detections.end(),
                         [](const pdl_detection& a, const pdl_detection& b) { return a.score > b.score; });
        *out_count = static_cast<int32_t>(context->detections.size());
        return PDL_OK;
    });
}

int32_t pdl_copy_detections(const pdl_context* context, pdl_detection* out, int32_t capacity)
{
    if (context == nullptr || out == nullptr || capacity <= 0)
        return 0;
    const int32_t n = std::min(capacity, static_cast<int32_t>(context->detections.size()));
    std::copy_n(context->detections.begin(), n, out);
    return n;
}

pdl_status pdl_landmarks(pdl_context* context, const uint8_t* rgb24, int32_t width, int32_t height,
                         int32_t stride, float left, float top, float right, float bottom,
                         float* xy, int32_t xy_capacity)
{
    if (context == nullptr || xy == nullptr)
        return fail(PDL_INVALID_ARGUMENT, "context or xy is null");
    if (pdl_status s = check_image(rgb24, width, height, stride); s != PDL_OK)
        return s;
    const int32_t needed = static_cast<int32_t>(context->model->dims());
    if (xy_capacity < needed)
        return fail(PDL_INVALID_ARGUMENT, "xy holds " + std::to_string(xy_capacity) + " floats; the model writes " + std::to_string(needed));
    // The model works in box-relative units: a degenerate box would scale every sample to one pixel.
    if (!(right > left) || !(bottom > top) || !std::isfinite(left) || !std::isfinite(top) ||
        !std::isfinite(right) || !std::isfinite(bottom))
        return fail(PDL_INVALID_ARGUMENT, "box must be finite with right > left and bottom > top");

    return guarded("pdl_landmarks", [&] {
        context->model->predict(rgb24, width, height, stride, left, top, right, bottom,
                                context->shape.data(), context->features.data(), context->leaves.data(), xy);
        return PDL_OK;
    });
}

} // extern "C"
