"""Reference .npy/.npz fixtures, written by NumPy and Python's zipfile (not by tms).

Run from this folder: python3 make-fixtures.py. The Swift tests check that tms writes these
exact bytes. The .npz members use ZIP_STORED, a fixed 1980-01-01 timestamp, Unix mode 0644:
the choices tms makes so the same arrays always give the same file.
"""
import io
import zipfile

import numpy as np

arrays = {
    "W": np.array([[[0.5, -1.25], [3e-8, 1.0], [0.0, -0.0]],
                   [[1.0 / 3, 2.0], [-4.5, 1e30], [7.0, 0.125]]], dtype="<f4"),
    "b": np.array([[0.1, 0.2, 0.3], [-0.1, 0.0, 1.5]], dtype="<f4"),
    "importance": np.array([[1.0, 0.9, 0.81], [1.0, 0.7, 0.49]], dtype="<f8"),
    "loss_history": np.zeros((2, 0), dtype="<f8"),
    "loss_history_steps": np.array([], dtype="<i8"),
    "step": np.array(12345, dtype="<i8"),
}

members = []
for name, a in arrays.items():
    buf = io.BytesIO()
    np.save(buf, a)
    data = buf.getvalue()
    with open(name + ".npy", "wb") as f:
        f.write(data)
    members.append((name + ".npy", data))

with open("tiny.npz", "wb") as f:
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED
            z.writestr(info, data)

loaded = np.load("tiny.npz")
for name, a in arrays.items():
    assert loaded[name].dtype == a.dtype and loaded[name].shape == a.shape
    assert np.array_equal(loaded[name], a)
print("ok")
