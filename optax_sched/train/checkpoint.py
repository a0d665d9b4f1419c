"""Checkpoints that resume a schedule exactly, and start a new stage from an old one.

A schedule's position is the update counter optax keeps in the optimizer state (the
``count`` of ``scale_by_schedule`` or ``inject_hyperparams``). Resuming therefore means
restoring the whole optimizer state with the parameters: restore only the parameters and
build a fresh optimizer, and the counter is back at 0, so the warmup runs again.
:class:`Checkpoints` saves and restores both together with orbax-checkpoint (JAX's
checkpoint library, installed with flax), so that ``N`` steps, a restart, and ``M`` more
steps give the same rates and parameters, bit for bit, as ``N + M`` uninterrupted steps.

Three ways a resume goes wrong, and what this module does about each:

* **A changed schedule.** Restoring step 3000 of a 10k-step cosine into a run built for
  20k steps silently jumps the rate. Given ``schedule=``, a checkpoint records the
  schedule's spec, and a restore with a different one is an error naming the fields
  that changed (``allow_schedule_change=True`` when the change is meant).
* **A different optimizer.** A state saved from ``adamw(schedule)`` cannot be put into
  ``inject_hyperparams(adamw)(...)``: the error names the paths that differ instead of
  orbax's tree-structure dump.
* **A new stage.** Stage 2 trains with its own schedule (its warmup, its floor) and
  often new modules. :meth:`Checkpoints.restore_params` loads only the parameters, into a
  model that may have more of them, and reports which were loaded and which are new; the
  new stage then builds a fresh optimizer whose counter starts at 0.

Data order is the caller's part: draw batch ``k`` from the step number (e.g.
``jax.random.fold_in(key, k)``) or save the data iterator's position, and the resumed run
sees the same examples.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

import jax

from optax_sched.train.groups import param_path

__all__ = ["Checkpoints", "Restored", "Transfer"]

_META = "optax_sched"  # the JSON item beside the saved trees
_FORMAT = 1


def _orbax() -> Any:
    try:
        import orbax.checkpoint as ocp
    except ImportError:  # pragma: no cover - flax installs it
        raise ImportError(
            "optax_sched.train.Checkpoints needs orbax-checkpoint: "
            "pip install 'optax-sched[checkpoint]'"
        ) from None
    return ocp


def _nnx() -> Any:
    from flax import nnx

    return nnx


def _is_nnx(obj: Any) -> bool:
    return isinstance(obj, _nnx().Pytree)  # modules and nnx.Optimizer


def _tree(obj: Any, wrt: Any = None) -> Any:
    """What is saved for an item: an nnx object's state as plain dicts, or the pytree."""
    if _is_nnx(obj):
        nnx = _nnx()
        state = nnx.state(obj) if wrt is None else nnx.state(obj, wrt)
        return nnx.to_pure_dict(state)
    return obj


def _put(obj: Any, tree: Any, wrt: Any = None) -> None:
    """The inverse of :func:`_tree` for an nnx object: write ``tree`` into it in place."""
    nnx = _nnx()
    state = nnx.state(obj) if wrt is None else nnx.state(obj, wrt)
    nnx.replace_by_pure_dict(state, tree)
    nnx.update(obj, state)


def _flat(tree: Any) -> dict[str, Any]:
    """``{"layer/kernel": leaf}`` (integer keys and tuple indices as text)."""
    leaves = jax.tree_util.tree_flatten_with_path(tree)[0]
    return {param_path(path): leaf for path, leaf in leaves}


def _kind(obj: Any) -> str:
    return type(obj).__name__ if _is_nnx(obj) else "pytree"


def _spec(schedule: Any) -> dict[str, Any] | None:
    from optax_sched._core import Schedule
    from optax_sched.config import to_config

    if not isinstance(schedule, Schedule):
        return None
    try:
        return to_config(schedule)
    except ValueError:
        return None


def _differences(saved: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    keys = list(dict.fromkeys([*saved, *now]))
    return [
        f"{key}: {saved.get(key, '(unset)')!r} -> {now.get(key, '(unset)')!r}"
        for key in keys
        if saved.get(key) != now.get(key)
    ]


def _stored(leaf: Any) -> tuple[tuple[int, ...], str]:
    """Shape and dtype as written to disk (a typed PRNG key is stored as its key data)."""
    if jax.dtypes.issubdtype(leaf.dtype, jax.dtypes.prng_key):
        data = jax.eval_shape(jax.random.key_data, leaf)
        return tuple(data.shape), str(data.dtype)
    return tuple(leaf.shape), str(leaf.dtype)


def _mismatch(name: str, saved: Mapping[str, Any], target: Mapping[str, Any]) -> str | None:
    """What differs between a saved tree and the tree it is restored into, or None."""
    missing = [k for k in target if k not in saved]
    extra = [k for k in saved if k not in target]
    shapes = [
        f"{k} {_stored(saved[k])} -> {_stored(target[k])}"
        for k in target
        if k in saved and _stored(saved[k]) != _stored(target[k])
    ]
    if not (missing or extra or shapes):
        return None

    def few(items: list[str]) -> str:
        return ", ".join(items[:4]) + (f" (+{len(items) - 4} more)" if len(items) > 4 else "")

    parts = []
    if extra:
        parts.append(f"saved but not here: {few(extra)}")
    if missing:
        parts.append(f"here but not saved: {few(missing)}")
    if shapes:
        parts.append(f"shape/dtype changed: {few(shapes)}")
    return f"{name!r} does not match the saved one ({'; '.join(parts)})"


@dataclasses.dataclass(frozen=True)
class Restored(Mapping[str, Any]):
    """What :meth:`Checkpoints.restore` brought back: the step and each item.

    nnx objects are restored in place (the item is the same object); plain pytrees are
    returned restored, e.g. ``params = restored["params"]``.
    """

    step: int
    items: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclasses.dataclass(frozen=True)
class Transfer:
    """What :meth:`Checkpoints.restore_params` did, parameter by parameter (paths)."""

    step: int
    loaded: tuple[str, ...]
    new: tuple[str, ...]  # in the model, not in the checkpoint: kept as initialised
    unused: tuple[str, ...]  # in the checkpoint, not in the model
    params: Any = None  # the updated tree, for a plain pytree target (nnx: updated in place)


class Checkpoints:
    """A directory of training checkpoints that resume a schedule exactly.

    Args:
      directory: where the checkpoints live (one sub-folder per saved step).
      schedule: the schedule this run trains with (optional). Saved with each
        checkpoint and checked on restore, so a run resumed with a different schedule
        fails loudly instead of jumping to another curve.
      keep: how many recent checkpoints to keep (``None``: all).
      async_save: write in a background thread while training goes on (orbax's async
        checkpointing; call :meth:`wait` or :meth:`close` before exiting). Off by
        default, so a returned :meth:`save` is on disk.

    Examples:
      >>> import tempfile, jax.numpy as jnp, optax, optax_sched
      >>> from optax_sched.train import Checkpoints, learning_rate
      >>> schedule = optax_sched.warmup_cosine(1e-3, total_steps=100, warmup_steps=10)
      >>> tx = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
      >>> params = {"w": jnp.zeros(2)}
      >>> state = tx.init(params)
      >>> for _ in range(30):
      ...     updates, state = tx.update({"w": jnp.ones(2)}, state)
      ...     params = optax.apply_updates(params, updates)
      >>> with Checkpoints(tempfile.mkdtemp(), schedule=schedule) as ckpt:
      ...     ckpt.save(30, params=params, opt_state=state)
      ...     fresh = tx.init({"w": jnp.zeros(2)})  # a restarted process
      ...     restored = ckpt.restore(params={"w": jnp.zeros(2)}, opt_state=fresh)
      >>> restored.step, float(learning_rate(restored["opt_state"])) == float(schedule(29))
      (30, True)
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        schedule: Any = None,
        keep: int | None = 3,
        async_save: bool = False,
    ) -> None:
        if keep is not None and (not isinstance(keep, int) or keep < 1):
            raise ValueError(f"Checkpoints: keep must be a positive int or None; got {keep!r}.")
        ocp = _orbax()
        self.directory = os.path.abspath(os.fspath(directory))
        self.schedule = schedule
        self._spec = _spec(schedule)
        options = ocp.CheckpointManagerOptions(
            max_to_keep=keep, enable_async_checkpointing=async_save, create=True
        )
        self._manager = ocp.CheckpointManager(self.directory, options=options)

    # -- bookkeeping ---------------------------------------------------------------

    @property
    def steps(self) -> list[int]:
        """The saved steps, oldest first."""
        return sorted(self._manager.all_steps())

    @property
    def latest_step(self) -> int | None:
        """The most recent saved step, or None when there is none (start from scratch)."""
        return self._manager.latest_step()

    def wait(self) -> None:
        """Block until an asynchronous save is on disk."""
        self._manager.wait_until_finished()

    def close(self) -> None:
        """Finish pending saves and release the directory."""
        self._manager.close()

    def __enter__(self) -> Checkpoints:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- saving and restoring --------------------------------------------------------

    def save(self, step: int, **items: Any) -> None:
        """Save ``items`` (e.g. ``model=model, optimizer=optimizer``) as step ``step``.

        Args:
          step: the training step this state is at (the number of updates done, so the
            resumed loop continues with ``range(step, total)``).
          **items: nnx objects (a module, an ``nnx.Optimizer``: their whole state, RNG
            streams included) or pytrees (``params=..., opt_state=...``).
        """
        if isinstance(step, bool) or not isinstance(step, int) or step < 0:
            raise ValueError(f"Checkpoints.save: step must be an int >= 0; got {step!r}.")
        if not items:
            raise ValueError(
                "Checkpoints.save: nothing to save; pass e.g. model=model, optimizer=optimizer."
            )
        if _META in items:
            raise ValueError(f"Checkpoints.save: {_META!r} is reserved; rename that item.")
        ocp = _orbax()
        meta = {
            "format": _FORMAT,
            "step": step,
            "items": {name: _kind(obj) for name, obj in items.items()},
            "schedule": self._spec,
        }
        args = {name: ocp.args.StandardSave(_tree(obj)) for name, obj in items.items()}
        args[_META] = ocp.args.JsonSave(meta)
        self._manager.save(step, args=ocp.args.Composite(**args), force=True)

    def _meta(self, step: int | None, what: str) -> tuple[int, dict[str, Any]]:
        self.wait()
        if step is None:
            step = self.latest_step
            if step is None:
                raise FileNotFoundError(
                    f"{what}: no checkpoint in {self.directory}; check latest_step is not "
                    "None before restoring, and start from step 0 when it is."
                )
        elif step not in self._manager.all_steps():
            raise FileNotFoundError(
                f"{what}: no checkpoint for step {step} in {self.directory}; saved steps: "
                f"{self.steps or 'none'}."
            )
        ocp = _orbax()
        restored = self._manager.restore(
            step, args=ocp.args.Composite(**{_META: ocp.args.JsonRestore()})
        )
        return step, json.loads(json.dumps(restored[_META]))

    def _saved_tree(self, step: int, name: str) -> dict[str, Any]:
        """The saved item's array metadata (shapes, dtypes), without reading the arrays."""
        from etils import epath

        ocp = _orbax()
        path = epath.Path(self.directory) / str(step) / name
        return _flat(ocp.StandardCheckpointHandler().metadata(path).tree)

    def _check_schedule(self, step: int, meta: Mapping[str, Any], allow: bool) -> None:
        saved, now = meta.get("schedule"), self._spec
        if allow or saved is None or now is None or saved == now:
            return
        changes = _differences(saved, now)
        raise ValueError(
            f"Checkpoints.restore: step {step} in {self.directory} was saved with a "
            f"different schedule ({'; '.join(changes)}). The restored counter would pick up "
            "the new curve at that step. Build the run with the saved schedule, pass "
            "allow_schedule_change=True if the change is meant (e.g. a longer run), or start "
            "a new stage from 0 with restore_params."
        )

    def restore(
        self, step: int | None = None, *, allow_schedule_change: bool = False, **items: Any
    ) -> Restored:
        """Restore a checkpoint into freshly built ``items`` and return its step.

        Args:
          step: which checkpoint; the latest by default.
          allow_schedule_change: restore even though this run's ``schedule`` differs
            from the one saved.
          **items: the same names as saved, built the same way as in the saved run
            (``model=Model(...), optimizer=nnx.Optimizer(...)``): they give the structure,
            shapes, dtypes and shardings to restore into. nnx objects are updated in place.

        Returns:
          A :class:`Restored`: ``.step`` to continue from, and each item (plain pytrees
          restored; nnx objects the same objects, now restored).

        Raises:
          FileNotFoundError: no checkpoint (or not that step).
          ValueError: other item names than saved, a tree that differs from the saved
            one (naming the paths), or a changed schedule.
        """
        step, meta = self._meta(step, "Checkpoints.restore")
        saved = meta.get("items", {})
        if set(items) != set(saved):
            raise ValueError(
                f"Checkpoints.restore: step {step} holds {sorted(saved)}; got {sorted(items)}. "
                "Pass the same names as saved (restore_params loads only the parameters)."
            )
        self._check_schedule(step, meta, allow_schedule_change)
        ocp = _orbax()
        targets = {name: _tree(obj) for name, obj in items.items()}
        for name, target in targets.items():
            problem = _mismatch(name, self._saved_tree(step, name), _flat(target))
            if problem:
                raise ValueError(
                    f"Checkpoints.restore: step {step}: {problem}. Build {name} the same way "
                    "as in the saved run (same optimizer, wrappers, model), or use "
                    "restore_params to start a new stage from the saved parameters."
                )
        abstract = {
            name: ocp.args.StandardRestore(
                jax.tree_util.tree_map(ocp.utils.to_shape_dtype_struct, target)
            )
            for name, target in targets.items()
        }
        restored = self._manager.restore(step, args=ocp.args.Composite(**abstract))
        out: dict[str, Any] = {}
        for name, obj in items.items():
            if _is_nnx(obj):
                _put(obj, restored[name])
                out[name] = obj
            else:
                out[name] = restored[name]
        return Restored(step, out)

    def restore_params(
        self,
        target: Any,
        *,
        item: str | None = None,
        step: int | None = None,
        wrt: Any = None,
        allow_unused: bool = False,
    ) -> Transfer:
        """Load the saved parameters into ``target`` to start a new stage from them.

        The optimizer state is not restored: the new stage builds its own optimizer with
        its own schedule, whose counter starts at 0 (use :meth:`restore` to continue the
        same run instead).

        Args:
          target: an nnx module (updated in place) or a parameter pytree. It may hold
            parameters the checkpoint does not (a module new in this stage): those keep
            their initial values and are listed in ``Transfer.new``.
          item: the saved item holding the parameters; by default the first nnx module
            saved, else the only item, else the one called ``"params"``.
          step: which checkpoint; the latest by default.
          wrt: for an nnx module, the variables to load (default ``nnx.Param``; e.g.
            ``nnx.Any(nnx.Param, nnx.BatchStat)`` to carry batch statistics too).
          allow_unused: accept saved parameters the target has no place for (a module
            dropped in this stage). Off by default: a renamed module would otherwise
            silently start from its initial values.

        Returns:
          A :class:`Transfer` listing the loaded, new and unused paths (``.params`` holds
          the updated tree for a pytree target).

        Raises:
          ValueError: shapes that differ, no parameter in common, or unused saved
            parameters (unless ``allow_unused``).
        """
        step, meta = self._meta(step, "Checkpoints.restore_params")
        kinds: dict[str, str] = meta.get("items", {})
        item = _params_item(kinds) if item is None else item
        if item not in kinds:
            raise ValueError(
                f"Checkpoints.restore_params: step {step} holds {sorted(kinds)}; say which "
                "holds the parameters with item=..."
            )
        ocp = _orbax()
        saved = _flat(
            self._manager.restore(
                step, args=ocp.args.Composite(**{item: ocp.args.StandardRestore()})
            )[item]
        )
        is_nnx = _is_nnx(target)
        nnx = _nnx() if is_nnx else None
        tree = _tree(target, (wrt or nnx.Param) if is_nnx else None)
        flat = _flat(tree)
        loaded = [k for k in flat if k in saved]
        new = [k for k in flat if k not in saved]
        # Saved entries with no place anywhere in the target (for nnx, its whole state:
        # RNG streams and statistics outside ``wrt`` are simply not loaded).
        everywhere = _flat(_tree(target)) if is_nnx else flat
        unused = [k for k in saved if k not in everywhere]
        bad = [
            f"{k} {tuple(saved[k].shape)} -> {tuple(flat[k].shape)}"
            for k in loaded
            if tuple(saved[k].shape) != tuple(flat[k].shape)
        ]
        if bad:
            raise ValueError(
                f"Checkpoints.restore_params: step {step}: shapes differ: {', '.join(bad[:4])}."
            )
        if not loaded:
            raise ValueError(
                f"Checkpoints.restore_params: no parameter of the target is in step {step}'s "
                f"{item!r} (saved e.g. {', '.join(list(saved)[:3])}; target has e.g. "
                f"{', '.join(list(flat)[:3])}). Was the module renamed?"
            )
        if unused and not allow_unused:
            raise ValueError(
                f"Checkpoints.restore_params: step {step} has parameters the target does not: "
                f"{', '.join(unused[:4])}{' ...' if len(unused) > 4 else ''}. A renamed module "
                "would start from scratch; rename it back, or pass allow_unused=True if it was "
                "dropped on purpose."
            )
        values = {k: saved[k] if k in saved else v for k, v in flat.items()}
        leaves, treedef = jax.tree_util.tree_flatten(tree)
        keys = list(flat)
        new_tree = jax.tree_util.tree_unflatten(
            treedef, [_like(values[k], old) for k, old in zip(keys, leaves, strict=True)]
        )
        if is_nnx:
            _put(target, new_tree, wrt or nnx.Param)
            return Transfer(step, tuple(loaded), tuple(new), tuple(unused))
        return Transfer(step, tuple(loaded), tuple(new), tuple(unused), params=new_tree)


def _like(value: Any, old: Any) -> Any:
    """``value`` as an array with ``old``'s dtype and placement (sharding)."""
    import jax.numpy as jnp

    array = jnp.asarray(value, dtype=getattr(old, "dtype", None))
    sharding = getattr(old, "sharding", None)
    return jax.device_put(array, sharding) if sharding is not None else array


def _params_item(kinds: Mapping[str, str]) -> str | None:
    """The saved item that holds the parameters when the caller does not say."""
    modules = [name for name, kind in kinds.items() if kind not in ("pytree", "Optimizer")]
    if modules:
        return modules[0]
    if len(kinds) == 1:
        return next(iter(kinds))
    return "params" if "params" in kinds else None
