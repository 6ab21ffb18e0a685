//! The tiny transformer tagger: embeddings (+ positions), encoder blocks built from burn-nn's
//! `MultiHeadAttention` (burn's `TransformerEncoder` returns only the context, and the lab
//! draws every layer's attention weights), a final layer norm and a linear read-out per
//! position.
//!
//! ReLU in the feed-forward blocks rather than burn's default GELU: GELU's `erf` took ~10 % of
//! a training step on the CPU (measured with perf) for no gain on these tasks.
//!
//! Pre-norm blocks (`x + attention(norm(x))`, then `x + feed_forward(norm(x))`): they train
//! without a learning-rate warm-up, which a lab that starts at full speed needs. No dropout:
//! burn's dropout draws from the device's generator (not seeded, different per back end) and
//! these tasks draw fresh-looking data anyway.

use burn::config::Config;
use burn::module::Module;
use burn::nn::activation::ActivationConfig;
use burn::nn::attention::{MhaInput, MultiHeadAttention, MultiHeadAttentionConfig};
use burn::nn::transformer::{PositionWiseFeedForward, PositionWiseFeedForwardConfig};
use burn::nn::{
    Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig, Linear, LinearConfig,
    PositionalEncoding, PositionalEncodingConfig,
};
use burn::tensor::{Bool, Device, Int, Tensor, TensorData};

use super::task::Positions;

/// Shape of a [`TransformerTagger`].
#[derive(Config, Debug)]
pub struct TransformerTaggerConfig {
    /// Token ids, padding included.
    pub tokens: usize,
    /// Output classes.
    pub classes: usize,
    /// Longest sequence (positions encoded).
    pub max_length: usize,
    /// Model width.
    pub width: usize,
    /// Attention heads per layer.
    pub heads: usize,
    /// Encoder blocks.
    pub layers: usize,
    /// Hidden units of each feed-forward block.
    pub feed_forward: usize,
    /// Positional encoding.
    pub positions: Positions,
}

/// One pre-norm encoder block.
#[derive(Module, Debug)]
pub struct EncoderBlock {
    /// Self-attention.
    pub attention: MultiHeadAttention,
    /// Position-wise feed-forward network.
    pub feed_forward: PositionWiseFeedForward,
    /// Norm before attention.
    pub norm_attention: LayerNorm,
    /// Norm before the feed-forward network.
    pub norm_feed_forward: LayerNorm,
}

impl EncoderBlock {
    /// `x` `[batch, length, width]` → the block's output and its attention weights
    /// `[batch, heads, length, length]` (rows are queries, columns keys).
    pub fn forward(&self, x: Tensor<3>, pad: Option<Tensor<2, Bool>>) -> (Tensor<3>, Tensor<4>) {
        let mut input = MhaInput::self_attn(self.norm_attention.forward(x.clone()));
        if let Some(pad) = pad {
            input = input.mask_pad(pad);
        }
        let attended = self.attention.forward(input);
        let x = x + attended.context;
        let x = x.clone() + self.feed_forward.forward(self.norm_feed_forward.forward(x));
        (x, attended.weights)
    }
}

/// Token embedding, optional positional encoding, encoder blocks, read-out.
#[derive(Module, Debug)]
pub struct TransformerTagger {
    /// Token embedding.
    pub embedding: Embedding,
    /// Fixed sinusoids, when chosen.
    pub sinusoids: Option<PositionalEncoding>,
    /// Learned position vectors, when chosen.
    pub learned_positions: Option<Embedding>,
    /// Encoder blocks.
    pub blocks: Vec<EncoderBlock>,
    /// Final norm.
    pub norm: LayerNorm,
    /// Per-position read-out to the classes.
    pub output: Linear,
}

/// Logits and every layer's attention weights.
pub struct TaggerOutput {
    /// `[batch, length, classes]`.
    pub logits: Tensor<3>,
    /// One `[batch, heads, length, length]` tensor per layer.
    pub attention: Vec<Tensor<4>>,
}

impl TransformerTaggerConfig {
    /// Builds the tagger (burn's initial weights; the session overwrites them with seeded ones).
    pub fn init(&self, device: &Device) -> TransformerTagger {
        let blocks = (0..self.layers)
            .map(|_| EncoderBlock {
                attention: MultiHeadAttentionConfig::new(self.width, self.heads)
                    .with_dropout(0.0)
                    .init(device),
                feed_forward: PositionWiseFeedForwardConfig::new(self.width, self.feed_forward)
                    .with_dropout(0.0)
                    .with_activation(ActivationConfig::Relu)
                    .init(device),
                norm_attention: LayerNormConfig::new(self.width).init(device),
                norm_feed_forward: LayerNormConfig::new(self.width).init(device),
            })
            .collect();
        TransformerTagger {
            embedding: EmbeddingConfig::new(self.tokens, self.width).init(device),
            sinusoids: (self.positions == Positions::Sinusoidal).then(|| {
                PositionalEncodingConfig::new(self.width)
                    .with_max_sequence_size(self.max_length)
                    .init(device)
            }),
            learned_positions: (self.positions == Positions::Learned)
                .then(|| EmbeddingConfig::new(self.max_length, self.width).init(device)),
            blocks,
            norm: LayerNormConfig::new(self.width).init(device),
            output: LinearConfig::new(self.width, self.classes).init(device),
        }
    }
}

impl TransformerTagger {
    /// `tokens` `[batch, length]` (padding marked true in `pad`, whose keys get no attention).
    pub fn forward(&self, tokens: Tensor<2, Int>, pad: Option<Tensor<2, Bool>>) -> TaggerOutput {
        let [_, length] = tokens.dims();
        let device = tokens.device();
        let mut x = self.embedding.forward(tokens);
        if let Some(sinusoids) = &self.sinusoids {
            x = sinusoids.forward(x);
        }
        if let Some(learned) = &self.learned_positions {
            let ids: Vec<i64> = (0..length as i64).collect();
            let ids = Tensor::<2, Int>::from_data(TensorData::new(ids, [1, length]), &device);
            x = x + learned.forward(ids);
        }
        let mut attention = Vec::with_capacity(self.blocks.len());
        for block in &self.blocks {
            let (next, weights) = block.forward(x, pad.clone());
            x = next;
            attention.push(weights);
        }
        TaggerOutput {
            logits: self.output.forward(self.norm.forward(x)),
            attention,
        }
    }
}
