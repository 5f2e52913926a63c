"""Reads a directory of TensorBoard event files with tensorboard's EventAccumulator and prints
'tag step value' lines (sorted by tag, then step); used by tests/core/tfevents_test.cpp."""
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

acc = EventAccumulator(sys.argv[1])
acc.Reload()
for tag in sorted(acc.Tags()["scalars"]):
    for ev in acc.Scalars(tag):
        print(f"{tag} {ev.step} {ev.value:.6g}")
