//! The comparison model: token embedding, burn-nn's bidirectional LSTM, a linear read-out per
//! position. It sees the padding as a token (no mask), as an LSTM reading a padded batch does.

use burn::config::Config;
use burn::module::Module;
use burn::nn::{BiLstm, BiLstmConfig, Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::tensor::{Device, Int, Tensor};

/// Shape of an [`LstmTagger`].
#[derive(Config, Debug)]
pub struct LstmTaggerConfig {
    /// Token ids, padding included.
    pub tokens: usize,
    /// Output classes.
    pub classes: usize,
    /// Embedding width.
    pub width: usize,
    /// State size per direction.
    pub hidden: usize,
}

/// Embedding, bidirectional LSTM, read-out.
#[derive(Module, Debug)]
pub struct LstmTagger {
    /// Token embedding.
    pub embedding: Embedding,
    /// Both directions.
    pub lstm: BiLstm,
    /// Per-position read-out from both directions' states.
    pub output: Linear,
}

impl LstmTaggerConfig {
    /// Builds the tagger (the session overwrites its weights with seeded ones).
    pub fn init(&self, device: &Device) -> LstmTagger {
        LstmTagger {
            embedding: EmbeddingConfig::new(self.tokens, self.width).init(device),
            lstm: BiLstmConfig::new(self.width, self.hidden, true).init(device),
            output: LinearConfig::new(2 * self.hidden, self.classes).init(device),
        }
    }
}

impl LstmTagger {
    /// `tokens` `[batch, length]` → logits `[batch, length, classes]`.
    pub fn forward(&self, tokens: Tensor<2, Int>) -> Tensor<3> {
        let (states, _) = self.lstm.forward(self.embedding.forward(tokens), None);
        self.output.forward(states)
    }
}
