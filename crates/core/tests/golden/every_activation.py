"""Emberlab's network rebuilt in PyTorch: 9 inputs (x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2, cosx1, cosx2) -> 3 relu -> 4 leaky -> 5 tanh -> 3 sigmoid -> 4 gelu -> 5 silu -> 3 linear -> 4 (softmax).

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
    return torch.stack([x1, x2, x1 * x1, x2 * x2, x1 * x2, torch.sin(x1), torch.sin(x2), torch.cos(x1), torch.cos(x2)], dim=-1)


class Network(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(9, 3), nn.Linear(3, 4), nn.Linear(4, 5), nn.Linear(5, 3), nn.Linear(3, 4), nn.Linear(4, 5), nn.Linear(5, 3)])
        self.output = nn.Linear(3, 4)

    def forward(self, x):
        x = F.relu(self.hidden[0](x))
        x = F.leaky_relu(self.hidden[1](x), 0.01)
        x = torch.tanh(self.hidden[2](x))
        x = torch.sigmoid(self.hidden[3](x))
        x = F.gelu(self.hidden[4](x))
        x = F.silu(self.hidden[5](x))
        x = self.hidden[6](x)
        return torch.softmax(self.output(x), dim=-1)


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
