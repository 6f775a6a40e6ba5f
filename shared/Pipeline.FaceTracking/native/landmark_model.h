// dlib's shape_predictor (Kazemi & Sullivan's ensemble of regression trees), evaluated with float output.
//
// Why not dlib::shape_predictor itself: it rounds every landmark to a whole pixel and takes only an
// integer box, which shows up as jitter once landmarks are smoothed over time and compared in % of
// the eye distance. It is also slow here (~2.6 ms per face): the 7,500 leaves a face adds up (136
// floats each, ~4 MB) are scattered over 65 MB of model, so the adds wait on memory. This class
// reads the same file (the format of dlib::deserialize(shape_predictor&)), keeps the trees flat, and
// runs the same cascade (same feature pixels, same splits, same sums) but finds all leaves of a
// level before adding them, so it can prefetch. With an integer box its output rounded to whole
// pixels equals dlib's: 1700 of 1700 points on dlib's 25 test faces (checked against
// dlib::shape_predictor on the same pixels while writing this).
#ifndef PIPELINE_LANDMARK_MODEL_H
#define PIPELINE_LANDMARK_MODEL_H

#include <dlib/image_processing/shape_predictor.h>
#include <dlib/serialize.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

namespace pipeline_dlib {

struct split_node {
    uint32_t idx1;
    uint32_t idx2;
    float thresh;
};

struct tree_ref {
    uint32_t first_split;
    uint32_t split_count;
    uint32_t first_leaf; // index into cascade_level::leaves, in units of floats
};

// One step of the cascade: where its feature pixels sit relative to the current shape, and its trees.
struct cascade_level {
    std::vector<uint32_t> anchor;  // the shape point each feature pixel hangs from
    std::vector<float> delta_x;    // its offset from that point, in the reference (mean) shape frame
    std::vector<float> delta_y;
    std::vector<split_node> splits;
    std::vector<float> leaves;     // each leaf: dims floats (a shape increment)
    std::vector<tree_ref> trees;
};

class landmark_model {
    // How many trees ahead leaves are prefetched. On a 2-core Xeon (2.5 GHz) this took a face from
    // 2.35 ms to 1.05 ms (CPU time, median over the 25 test faces); 4 and 8 measured alike, 16 worse.
    static constexpr size_t prefetch_distance = 8;

public:
    // Throws dlib::serialization_error or std::runtime_error on anything that is not a valid model.
    explicit landmark_model(std::istream& in)
    {
        int version = 0;
        dlib::deserialize(version, in);
        if (version != 1)
            throw dlib::serialization_error("not a dlib shape_predictor file (unexpected version " + std::to_string(version) + ")");

        dlib::matrix<float, 0, 1> initial;
        std::vector<std::vector<dlib::impl::regression_tree>> forests;
        std::vector<std::vector<unsigned long>> anchor_idx;
        std::vector<std::vector<dlib::vector<float, 2>>> deltas;
        dlib::deserialize(initial, in);
        dlib::deserialize(forests, in);
        dlib::deserialize(anchor_idx, in);
        dlib::deserialize(deltas, in);

        dims_ = static_cast<uint32_t>(initial.size());
        if (dims_ == 0 || dims_ % 2 != 0 || forests.size() != anchor_idx.size() || forests.size() != deltas.size())
            throw std::runtime_error("inconsistent shape_predictor: shape or cascade sizes disagree");

        initial_.assign(initial.begin(), initial.end());
        center_reference();

        levels_.resize(forests.size());
        for (size_t c = 0; c < forests.size(); ++c)
        {
            cascade_level& level = levels_[c];
            const size_t features = anchor_idx[c].size();
            if (deltas[c].size() != features)
                throw std::runtime_error("inconsistent shape_predictor: anchors and deltas disagree");
            max_features_ = std::max<uint32_t>(max_features_, static_cast<uint32_t>(features));
            for (size_t i = 0; i < features; ++i)
            {
                if (anchor_idx[c][i] >= part_count())
                    throw std::runtime_error("inconsistent shape_predictor: anchor out of range");
                level.anchor.push_back(static_cast<uint32_t>(anchor_idx[c][i]));
                level.delta_x.push_back(deltas[c][i].x());
                level.delta_y.push_back(deltas[c][i].y());
            }

            for (const auto& tree : forests[c])
            {
                if (tree.leaf_values.size() != tree.splits.size() + 1)
                    throw std::runtime_error("inconsistent shape_predictor: a tree is not complete");
                tree_ref ref{static_cast<uint32_t>(level.splits.size()), static_cast<uint32_t>(tree.splits.size()),
                             static_cast<uint32_t>(level.leaves.size())};
                for (const auto& s : tree.splits)
                {
                    if (s.idx1 >= features || s.idx2 >= features)
                        throw std::runtime_error("inconsistent shape_predictor: split reads a missing feature");
                    level.splits.push_back({static_cast<uint32_t>(s.idx1), static_cast<uint32_t>(s.idx2), s.thresh});
                }
                for (const auto& leaf : tree.leaf_values)
                {
                    if (static_cast<uint32_t>(leaf.size()) != dims_)
                        throw std::runtime_error("inconsistent shape_predictor: leaf size differs from the shape");
                    level.leaves.insert(level.leaves.end(), leaf.begin(), leaf.end());
                }
                level.trees.push_back(ref);
            }
            max_trees_ = std::max<uint32_t>(max_trees_, static_cast<uint32_t>(level.trees.size()));
        }
    }

    uint32_t part_count() const { return dims_ / 2; }
    uint32_t dims() const { return dims_; }
    uint32_t max_features() const { return max_features_; }
    uint32_t max_trees() const { return max_trees_; }

    // Predicts into xy (2 * part_count floats), in image pixels. shape, features and leaves are the
    // caller's scratch (dims(), max_features() and max_trees() long) so that a prediction allocates nothing.
    void predict(const uint8_t* rgb, long width, long height, long stride,
                 float left, float top, float right, float bottom,
                 float* shape, float* features, const float** leaves, float* xy) const
    {
        const double box_w = static_cast<double>(right) - left;
        const double box_h = static_cast<double>(bottom) - top;
        std::copy(initial_.begin(), initial_.end(), shape);

        for (const cascade_level& level : levels_)
        {
            // dlib: find_tform_between_shapes(reference, current), i.e. the least-squares similarity
            // from the mean shape to the current estimate; only its 2x2 part moves the deltas.
            float m00, m01, m10, m11;
            similarity(shape, m00, m01, m10, m11);

            const size_t n = level.anchor.size();
            for (size_t i = 0; i < n; ++i)
            {
                const uint32_t a = level.anchor[i];
                const float dx = level.delta_x[i], dy = level.delta_y[i];
                const float px = m00 * dx + m01 * dy + shape[2 * a];
                const float py = m10 * dx + m11 * dy + shape[2 * a + 1];
                // dlib maps the unit box to the image in double and rounds to the nearest pixel.
                const long x = static_cast<long>(std::floor(left + px * box_w + 0.5));
                const long y = static_cast<long>(std::floor(top + py * box_h + 0.5));
                if (x >= 0 && y >= 0 && x < width && y < height)
                {
                    const uint8_t* p = rgb + y * stride + x * 3;
                    // dlib's get_pixel_intensity of an rgb_pixel: the integer mean of the channels.
                    features[i] = static_cast<float>((static_cast<unsigned>(p[0]) + p[1] + p[2]) / 3);
                }
                else
                {
                    features[i] = 0;
                }
            }

            // Walk every tree first, then add the chosen leaves: the leaves (65 MB in all, ~4 MB
            // touched per face) do not fit in cache, so the adds are memory-latency bound; knowing
            // all leaf addresses up front lets us prefetch a few trees ahead.
            const uint32_t dims = dims_;
            const size_t tree_count = level.trees.size();
            for (size_t t = 0; t < tree_count; ++t)
            {
                const tree_ref& tree = level.trees[t];
                const split_node* splits = level.splits.data() + tree.first_split;
                uint32_t node = 0;
                while (node < tree.split_count)
                {
                    const split_node& s = splits[node];
                    node = features[s.idx1] - features[s.idx2] > s.thresh ? 2 * node + 1 : 2 * node + 2;
                }
                leaves[t] = level.leaves.data() + tree.first_leaf + static_cast<size_t>(node - tree.split_count) * dims;
            }

            const size_t leaf_bytes = dims * sizeof(float);
            for (size_t t = 0; t < tree_count; ++t)
            {
                if (t + prefetch_distance < tree_count)
                {
                    const char* ahead = reinterpret_cast<const char*>(leaves[t + prefetch_distance]);
                    for (size_t b = 0; b < leaf_bytes; b += 64)
                        __builtin_prefetch(ahead + b);
                }
                const float* leaf = leaves[t];
                for (uint32_t d = 0; d < dims; ++d)
                    shape[d] += leaf[d];
            }
        }

        for (uint32_t i = 0; i < part_count(); ++i)
        {
            xy[2 * i] = static_cast<float>(left + shape[2 * i] * box_w);
            xy[2 * i + 1] = static_cast<float>(top + shape[2 * i + 1] * box_h);
        }
    }

private:
    void center_reference()
    {
        const uint32_t n = part_count();
        double cx = 0, cy = 0;
        for (uint32_t i = 0; i < n; ++i) { cx += initial_[2 * i]; cy += initial_[2 * i + 1]; }
        cx /= n; cy /= n;
        ref_centered_.resize(dims_);
        ref_norm_ = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            ref_centered_[2 * i] = initial_[2 * i] - cx;
            ref_centered_[2 * i + 1] = initial_[2 * i + 1] - cy;
            ref_norm_ += ref_centered_[2 * i] * ref_centered_[2 * i] + ref_centered_[2 * i + 1] * ref_centered_[2 * i + 1];
        }
        if (!(ref_norm_ > 0))
            throw std::runtime_error("inconsistent shape_predictor: degenerate mean shape");
    }

    // Closed-form 2-D least-squares similarity (rotation + uniform scale) from the mean shape to
    // `shape`: the same minimiser dlib's find_similarity_transform (Umeyama) finds, without its SVD.
    void similarity(const float* shape, float& m00, float& m01, float& m10, float& m11) const
    {
        const uint32_t n = part_count();
        double cx = 0, cy = 0;
        for (uint32_t i = 0; i < n; ++i) { cx += shape[2 * i]; cy += shape[2 * i + 1]; }
        cx /= n; cy /= n;
        double a = 0, b = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            const double fx = ref_centered_[2 * i], fy = ref_centered_[2 * i + 1];
            const double tx = shape[2 * i] - cx, ty = shape[2 * i + 1] - cy;
            a += fx * tx + fy * ty;
            b += fx * ty - fy * tx;
        }
        a /= ref_norm_;
        b /= ref_norm_;
        m00 = static_cast<float>(a);  m01 = static_cast<float>(-b);
        m10 = static_cast<float>(b);  m11 = static_cast<float>(a);
    }

    uint32_t dims_ = 0;
    uint32_t max_features_ = 0;
    uint32_t max_trees_ = 0;
    std::vector<float> initial_;
    std::vector<double> ref_centered_;
    double ref_norm_ = 0;
    std::vector<cascade_level> levels_;
};

} // namespace pipeline_dlib

#endif
