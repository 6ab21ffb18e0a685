"""Emberlab's network rebuilt in PyTorch: 2 inputs (x1, x2) -> 1 (no activation).

The weights are in emberlab-model.safetensors.
Run: python3 emberlab_model.py [emberlab-model.safetensors]   (needs: pip install torch safetensors)
"""
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from torch import nn


def features(x1, x2):
    """A point's inputs, computed as Emberlab computes them."""
    return torch.stack([x1, x2], dim=-1)


class Network(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.ModuleList([])
        self.output = nn.Linear(2, 1)

    def forward(self, x):
        return self.output(x)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "emberlab-model.safetensors"
    network = Network()
    network.load_state_dict(load_file(path))
    network.eval()
    points = torch.tensor([[0.0, 0.0], [1.5, -2.0], [-3.0, 4.0], [4.5, 4.5], [-5.0, -1.0]], dtype=torch.float32)
    with torch.no_grad():
        y = network(features(points[:, 0], points[:, 1]))
    for (x1, x2), row in zip(points.tolist(), y.tolist()):
        print(f"{x1:.3f} {x2:.3f} -> " + " ".join(f"{v:.7f}" for v in row))


if __name__ == "__main__":
    main()
