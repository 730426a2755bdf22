#!/usr/bin/env python3
"""Assertions on `helm template` output of the Portunus chart.

Usage: render_checks.py SCENARIO FILE   where SCENARIO is default | local | existing | backup
       render_checks.py --self-test FILE (default render): breaks the manifests in known
       ways and checks that the matching assertion fails, so no assertion is vacuous.
Prints `PASS: ...` / `FAIL: ...` lines; exit 1 if any FAIL.
"""
import copy
import sys

import yaml

STORE = "/var/lib/portunus"
BACKUPS = "/var/lib/portunus-backups"


def load(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def of_kind(docs, kind):
    return [d for d in docs if d.get("kind") == kind]


def workloads(docs):
    return [d for d in docs if d.get("kind") in ("StatefulSet", "Deployment", "DaemonSet", "ReplicaSet")]


def store_workload(docs):
    w = workloads(docs)
    return w[0] if len(w) == 1 else None


def pod_spec(docs):
    w = store_workload(docs)
    return (w or {}).get("spec", {}).get("template", {}).get("spec", {})


def main_container(docs):
    cs = pod_spec(docs).get("containers") or []
    for c in cs:
        if c.get("name") == "portunus":
            return c
    return cs[0] if cs else {}


def volume_by_name(docs, name):
    for v in pod_spec(docs).get("volumes") or []:
        if v.get("name") == name:
            return v
    return None


def mount_at(docs, path):
    return [m for m in main_container(docs).get("volumeMounts") or [] if m.get("mountPath", "").rstrip("/") == path]


def checks(docs, scenario):
    """Yields (name, ok, detail)."""
    w = store_workload(docs)
    yield ("exactly one workload object (StatefulSet/Deployment)", w is not None,
           [d["kind"] + "/" + d["metadata"]["name"] for d in workloads(docs)])
    w = w or {}
    spec = w.get("spec", {})
    yield ("replicas is exactly 1", spec.get("replicas") == 1, spec.get("replicas"))
    if w.get("kind") == "StatefulSet":
        st = (spec.get("updateStrategy") or {}).get("type", "RollingUpdate")  # k8s default is RollingUpdate
        yield ("StatefulSet updateStrategy is not RollingUpdate", st == "OnDelete", st)
    else:
        st = (spec.get("strategy") or {}).get("type", "RollingUpdate")
        yield ("Deployment strategy is Recreate", st == "Recreate", st)

    ps = pod_spec(docs)
    psc = ps.get("securityContext") or {}
    yield ("pod runAsNonRoot true", psc.get("runAsNonRoot") is True, psc.get("runAsNonRoot"))
    yield ("pod runAsUser/runAsGroup/fsGroup 10001",
           (psc.get("runAsUser"), psc.get("runAsGroup"), psc.get("fsGroup")) == (10001, 10001, 10001),
           (psc.get("runAsUser"), psc.get("runAsGroup"), psc.get("fsGroup")))
    yield ("pod seccompProfile RuntimeDefault",
           (psc.get("seccompProfile") or {}).get("type") == "RuntimeDefault", psc.get("seccompProfile"))

    c = main_container(docs)
    csc = c.get("securityContext") or {}
    yield ("container readOnlyRootFilesystem true", csc.get("readOnlyRootFilesystem") is True,
           csc.get("readOnlyRootFilesystem"))
    yield ("container allowPrivilegeEscalation false", csc.get("allowPrivilegeEscalation") is False,
           csc.get("allowPrivilegeEscalation"))
    yield ("container drops ALL capabilities", "ALL" in ((csc.get("capabilities") or {}).get("drop") or []),
           csc.get("capabilities"))
    yield ("container runs `serve`", (c.get("args") or []) == ["serve"] and not c.get("command"),
           (c.get("command"), c.get("args")))

    # Storage
    ms = mount_at(docs, STORE)
    vol = volume_by_name(docs, ms[0]["name"]) if len(ms) == 1 else None
    yield (f"exactly one volume mounted at {STORE}", len(ms) == 1, ms)
    claim = ((vol or {}).get("persistentVolumeClaim") or {}).get("claimName")
    yield (f"{STORE} is a PersistentVolumeClaim", bool(claim), vol)
    yield (f"no emptyDir at {STORE}", vol is not None and "emptyDir" not in vol, vol)
    empties = {v["name"] for v in ps.get("volumes") or [] if "emptyDir" in v}
    empty_paths = sorted(m["mountPath"] for m in c.get("volumeMounts") or [] if m["name"] in empties)
    yield ("emptyDir only for /tmp", empty_paths == ["/tmp"], empty_paths)
    pvcs = {d["metadata"]["name"]: d for d in of_kind(docs, "PersistentVolumeClaim")}
    if scenario == "existing":
        yield ("existingClaim: no PVC rendered, pod uses it", not pvcs and claim == "my-claim", (list(pvcs), claim))
    else:
        yield ("mounted claim is the rendered PVC", claim in pvcs, (claim, list(pvcs)))
        pvc = pvcs.get(claim) or {}
        yield ("PVC is kept on uninstall",
               (pvc.get("metadata", {}).get("annotations") or {}).get("helm.sh/resource-policy") == "keep",
               pvc.get("metadata", {}).get("annotations"))

    # Probes
    def probe_path(name):
        return ((c.get(name) or {}).get("httpGet") or {}).get("path")

    def probe_port(name):
        return ((c.get(name) or {}).get("httpGet") or {}).get("port")

    ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
    yield ("readinessProbe GET /q/health/ready", probe_path("readinessProbe") == "/q/health/ready",
           c.get("readinessProbe"))
    yield ("livenessProbe GET /q/health/live", probe_path("livenessProbe") == "/q/health/live",
           c.get("livenessProbe"))
    sp = c.get("startupProbe") or {}
    tol = sp.get("failureThreshold", 3) * sp.get("periodSeconds", 10)
    yield ("startupProbe present and tolerant (>= 300 s)", bool(sp.get("httpGet")) and tol >= 300, (sp, tol))
    yield ("probes target the operator port 7080",
           all(ports.get(probe_port(n), probe_port(n)) == 7080
               for n in ("readinessProbe", "livenessProbe", "startupProbe")),
           [probe_port(n) for n in ("readinessProbe", "livenessProbe", "startupProbe")])

    # Environment / token
    env = {e["name"]: e for e in c.get("env") or []}
    yield ("PORTUNUS_DATA_DIR is the store path", (env.get("PORTUNUS_DATA_DIR") or {}).get("value") == STORE,
           env.get("PORTUNUS_DATA_DIR"))
    yield ("operator listener on 0.0.0.0:7080",
           (env.get("PORTUNUS_OPERATOR_HTTP_LISTEN") or {}).get("value") == "0.0.0.0:7080",
           env.get("PORTUNUS_OPERATOR_HTTP_LISTEN"))
    ref = ((env.get("PORTUNUS_OPERATOR_TOKEN") or {}).get("valueFrom") or {}).get("secretKeyRef") or {}
    secrets = {d["metadata"]["name"]: d for d in of_kind(docs, "Secret")}
    if scenario == "existing":
        yield ("existingSecret: no Secret rendered, token from it",
               not secrets and ref.get("name") == "my-token" and ref.get("key") == "token", (list(secrets), ref))
    else:
        sec = secrets.get(ref.get("name")) or {}
        yield ("PORTUNUS_OPERATOR_TOKEN from the rendered Secret",
               bool(sec) and ref.get("key") in (sec.get("data") or {}), (ref, list(secrets)))
        yield ("token Secret kept (resource-policy keep)",
               (sec.get("metadata", {}).get("annotations") or {}).get("helm.sh/resource-policy") == "keep",
               sec.get("metadata", {}).get("annotations"))
    yield ("service links disabled (no injected PORTUNUS_* vars)", ps.get("enableServiceLinks") is False,
           ps.get("enableServiceLinks"))

    # Services
    svcs = of_kind(docs, "Service")
    sel = (spec.get("selector") or {}).get("matchLabels") or {}

    def svc_with_port(port):
        return [s for s in svcs
                if any(p.get("port") == port for p in s["spec"].get("ports") or [])
                and s["spec"].get("clusterIP") != "None"]

    op = svc_with_port(7080)
    yield ("operator Service: ClusterIP on 7080",
           len(op) == 1 and op[0]["spec"].get("type", "ClusterIP") == "ClusterIP", [s["metadata"]["name"] for s in op])
    cl = svc_with_port(7443)
    yield ("client Service on 7443", len(cl) == 1, [s["metadata"]["name"] for s in cl])
    yield ("Services select the store pod",
           bool(op and cl) and all(s["spec"].get("selector") == sel for s in op + cl), sel)
    if w.get("kind") == "StatefulSet":
        gov = [s for s in svcs if s["metadata"]["name"] == spec.get("serviceName")]
        yield ("StatefulSet serviceName is a rendered Service", len(gov) == 1, spec.get("serviceName"))

    # helm test
    tests = [d for d in of_kind(docs, "Pod")
             if (d.get("metadata", {}).get("annotations") or {}).get("helm.sh/hook") == "test"]
    yield ("helm test pod checks /q/health/ready",
           len(tests) == 1 and "/q/health/ready" in yaml.safe_dump(tests[0]["spec"]), len(tests))

    # Scheduled backups (07-scheduled-backups.md §6)
    backup_mounts = mount_at(docs, BACKUPS)
    bvol = volume_by_name(docs, backup_mounts[0]["name"]) if len(backup_mounts) == 1 else None
    bclaim = ((bvol or {}).get("persistentVolumeClaim") or {}).get("claimName")
    monitors = of_kind(docs, "ServiceMonitor")
    if scenario == "backup":
        bpvc = pvcs.get(bclaim) or {}
        yield (f"backups: a second PVC mounted at {BACKUPS}", bool(bpvc) and bclaim != claim, (bclaim, claim, list(pvcs)))
        yield ("backups PVC: own size and storage class",
               (bpvc.get("spec") or {}).get("resources", {}).get("requests", {}).get("storage") == "10Gi"
               and bpvc["spec"].get("storageClassName") == "slow", bpvc.get("spec"))
        yield ("backups PVC is kept on uninstall",
               (bpvc.get("metadata", {}).get("annotations") or {}).get("helm.sh/resource-policy") == "keep",
               bpvc.get("metadata", {}).get("annotations"))
        want = {"PORTUNUS_BACKUP_DIR": BACKUPS, "PORTUNUS_BACKUP_INTERVAL": "6h", "PORTUNUS_BACKUP_KEEP": "14",
                "PORTUNUS_AUDIT_RETENTION": "90d"}
        got = {k: (env.get(k) or {}).get("value") for k in want}
        yield ("backup and retention settings reach the environment", got == want, got)
        yield ("ServiceMonitor scrapes /q/metrics on the operator port",
               len(monitors) == 1 and monitors[0]["spec"]["endpoints"][0].get("path") == "/q/metrics"
               and monitors[0]["spec"]["endpoints"][0].get("port") == "operator", monitors)
    else:
        yield ("no backups volume, backup settings or ServiceMonitor unless enabled",
               not backup_mounts and not any(k.startswith("PORTUNUS_BACKUP") or k == "PORTUNUS_AUDIT_RETENTION" for k in env)
               and not monitors and not any(n.endswith("-backups") for n in pvcs),
               (backup_mounts, [k for k in env if k.startswith("PORTUNUS_B")], len(monitors)))

    # Local PV
    pvs = of_kind(docs, "PersistentVolume")
    if scenario == "local":
        pv = pvs[0] if len(pvs) == 1 else {}
        terms = (((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required") or {}).get("nodeSelectorTerms") or []
        exprs = [e for t in terms for e in t.get("matchExpressions") or []]
        yield ("local PV rendered", len(pvs) == 1, len(pvs))
        yield ("local PV nodeAffinity pins kubernetes.io/hostname=node-1",
               any(e.get("key") == "kubernetes.io/hostname" and e.get("operator") == "In"
                   and e.get("values") == ["node-1"] for e in exprs), exprs)
        yield ("local PV path and Retain",
               (pv.get("spec") or {}).get("local", {}).get("path") == "/srv/portunus"
               and pv["spec"].get("persistentVolumeReclaimPolicy") == "Retain", pv.get("spec", {}).get("local"))
        pvc = pvcs.get(claim) or {}
        yield ("PVC binds the local PV (volumeName + storageClassName)",
               bool(pv) and pvc.get("spec", {}).get("volumeName") == pv["metadata"]["name"]
               and pvc["spec"].get("storageClassName") == pv["spec"].get("storageClassName"),
               (pvc.get("spec"), pv.get("metadata", {}).get("name")))
    else:
        yield ("no PersistentVolume without local.enabled", not pvs, len(pvs))


def run(docs, scenario, prefix=""):
    failed = 0
    for name, ok, detail in checks(docs, scenario):
        if ok:
            print(f"PASS: {prefix}{name}")
        else:
            failed += 1
            print(f"FAIL: {prefix}{name} -- got {detail!r}")
    return failed


def _pod(d):
    return store_workload(d)["spec"]["template"]["spec"]


def _ctr(d):
    return _pod(d)["containers"][0]


def _set_store_vol(d, vol):
    name = [m for m in _ctr(d)["volumeMounts"] if m["mountPath"] == STORE][0]["name"]
    for v in _pod(d)["volumes"]:
        if v["name"] == name:
            v.clear()
            v.update(vol, name=name)


def _sts(d):
    return store_workload(d)


MUTATIONS = [
    ("replicas 2", lambda d: _sts(d)["spec"].__setitem__("replicas", 2), "replicas is exactly 1"),
    ("RollingUpdate", lambda d: _sts(d)["spec"].__setitem__("updateStrategy", {"type": "RollingUpdate"}),
     "StatefulSet updateStrategy is not RollingUpdate"),
    ("no updateStrategy (k8s default)", lambda d: _sts(d)["spec"].pop("updateStrategy"),
     "StatefulSet updateStrategy is not RollingUpdate"),
    ("second workload", lambda d: d.append(copy.deepcopy(_sts(d))), "exactly one workload object (StatefulSet/Deployment)"),
    ("runAsNonRoot false", lambda d: _pod(d)["securityContext"].__setitem__("runAsNonRoot", False), "pod runAsNonRoot true"),
    ("runAsUser 0", lambda d: _pod(d)["securityContext"].__setitem__("runAsUser", 0), "pod runAsUser/runAsGroup/fsGroup 10001"),
    ("no seccomp", lambda d: _pod(d)["securityContext"].pop("seccompProfile"), "pod seccompProfile RuntimeDefault"),
    ("rw root fs", lambda d: _ctr(d)["securityContext"].__setitem__("readOnlyRootFilesystem", False),
     "container readOnlyRootFilesystem true"),
    ("privilege escalation", lambda d: _ctr(d)["securityContext"].pop("allowPrivilegeEscalation"),
     "container allowPrivilegeEscalation false"),
    ("caps kept", lambda d: _ctr(d)["securityContext"].pop("capabilities"), "container drops ALL capabilities"),
    ("store on emptyDir", lambda d: _set_store_vol(d, {"emptyDir": {}}), f"no emptyDir at {STORE}"),
    ("store unmounted", lambda d: _ctr(d).__setitem__("volumeMounts", [m for m in _ctr(d)["volumeMounts"] if m["mountPath"] != STORE]),
     f"exactly one volume mounted at {STORE}"),
    ("extra emptyDir", lambda d: (_pod(d)["volumes"].append({"name": "x", "emptyDir": {}}),
                                  _ctr(d)["volumeMounts"].append({"name": "x", "mountPath": "/var/cache"})),
     "emptyDir only for /tmp"),
    ("readiness path", lambda d: _ctr(d)["readinessProbe"]["httpGet"].__setitem__("path", "/"), "readinessProbe GET /q/health/ready"),
    ("liveness path", lambda d: _ctr(d)["livenessProbe"]["httpGet"].__setitem__("path", "/q/health/ready"), "livenessProbe GET /q/health/live"),
    ("impatient startup", lambda d: _ctr(d)["startupProbe"].__setitem__("failureThreshold", 3),
     "startupProbe present and tolerant (>= 300 s)"),
    ("probe on client port", lambda d: _ctr(d)["livenessProbe"]["httpGet"].__setitem__("port", 7443),
     "probes target the operator port 7080"),
    ("token not from secret", lambda d: _ctr(d).__setitem__("env", [e for e in _ctr(d)["env"] if e["name"] != "PORTUNUS_OPERATOR_TOKEN"]),
     "PORTUNUS_OPERATOR_TOKEN from the rendered Secret"),
    ("backup env while disabled", lambda d: _ctr(d)["env"].append({"name": "PORTUNUS_BACKUP_DIR", "value": BACKUPS}),
     "no backups volume, backup settings or ServiceMonitor unless enabled"),
    ("no test pod", lambda d: d.__setitem__(slice(None), [x for x in d if x.get("kind") != "Pod"]),
     "helm test pod checks /q/health/ready"),
]


def self_test(docs):
    failed = 0
    base = {n: ok for n, ok, _ in checks(docs, "default")}
    for desc, mutate, expect in MUTATIONS:
        d = copy.deepcopy(docs)
        mutate(d)
        res = {n: ok for n, ok, _ in checks(d, "default")}
        caught = base.get(expect) is True and res.get(expect) is False
        print(f"{'PASS' if caught else 'FAIL'}: self-test: breaking '{desc}' is caught by '{expect}'")
        failed += 0 if caught else 1
    return failed


if __name__ == "__main__":
    if sys.argv[1] == "--self-test":
        sys.exit(1 if self_test(load(sys.argv[2])) else 0)
    scenario, path = sys.argv[1], sys.argv[2]
    sys.exit(1 if run(load(path), scenario, prefix=f"[{scenario}] ") else 0)
