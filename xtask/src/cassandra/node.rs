//! One local node: its folder, its JVM process and its pid file.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::{NodeOptions, distribution, files, probe, report_phase};
use crate::Outcome;

/// How long `stop` waits for a graceful exit before killing the JVM.
const STOP_DEADLINE: Duration = Duration::from_secs(60);
/// How often `start` asks whether the node is up.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The module flags of Cassandra's stock `jvm17-server.options`.
const JAVA17_FLAGS: &[&str] = &[
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
    "--add-exports=java.management/com.sun.jmx.remote.security=ALL-UNNAMED",
    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
    "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
    "--add-exports=java.sql/java.sql=ALL-UNNAMED",
    "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
];

/// A local node described by its options.
pub struct Node {
    options: NodeOptions,
    dir: PathBuf,
}

impl Node {
    /// The node `options` describe (nothing is started).
    pub fn new(options: NodeOptions) -> Self {
        let dir = options.dir();
        Self { options, dir }
    }

    /// `address:port` of the node's CQL endpoint.
    fn endpoint(&self) -> String {
        format!("{}:{}", self.options.address(), self.options.port)
    }

    fn conf_dir(&self) -> PathBuf {
        self.dir.join("conf")
    }
    fn log_dir(&self) -> PathBuf {
        self.dir.join("logs")
    }
    fn pid_file(&self) -> PathBuf {
        self.dir.join("cassandra.pid")
    }
    fn system_log(&self) -> PathBuf {
        self.log_dir().join("system.log")
    }
    fn console_log(&self) -> PathBuf {
        self.log_dir().join("console.log")
    }

    /// The pid of the node's JVM when it is alive.
    fn running_pid(&self) -> Option<u32> {
        let pid: u32 = std::fs::read_to_string(self.pid_file())
            .ok()?
            .trim()
            .parse()
            .ok()?;
        is_cassandra_process(pid).then_some(pid)
    }

    /// Starts the node and waits until it answers CQL.
    pub fn start(&self) -> Outcome {
        let port = self.options.port;
        if let Some(pid) = self.running_pid() {
            if let Ok(version) =
                probe::release_version(self.options.address(), port, self.options.secure)
            {
                println!(
                    "Cassandra {version} is already running on {} (pid {pid})",
                    self.endpoint()
                );
                return Ok(());
            }
            println!("pid {pid} is running but not answering yet; waiting for it");
            return self.wait_until_ready(None, Instant::now());
        }
        if let Ok(version) =
            probe::release_version(self.options.address(), port, self.options.secure)
        {
            return Err(format!(
                "{} is served by a Cassandra {version} that this tool did not start \
                 (no live pid in {}); stop it, or pick another --port",
                self.endpoint(),
                self.pid_file().display()
            )
            .into());
        }
        check_java()?;
        let lib = distribution::lib_dir()?;
        let started = Instant::now();
        let child = self.launch(&lib)?;
        println!(
            "started Cassandra (pid {}) on {}; folder {}",
            child.id(),
            self.endpoint(),
            self.dir.display()
        );
        self.wait_until_ready(Some(child), started)
    }

    fn launch(&self, lib: &Path) -> Outcome<Child> {
        if self.options.secure {
            super::certificates::ensure(&self.dir)?;
        }
        let conf = self.conf_dir();
        let yaml = conf.join("cassandra.yaml");
        files::write(&yaml, &files::cassandra_yaml(&self.options)?)?;
        files::write(&conf.join("logback.xml"), files::LOGBACK_XML)?;
        let tmp = self.dir.join("tmp");
        let storage = self.dir.join("data");
        let triggers = self.dir.join("triggers");
        for dir in [&tmp, &storage, &triggers, &self.log_dir()] {
            std::fs::create_dir_all(dir)
                .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
        }
        let console = File::create(self.console_log())
            .map_err(|err| format!("cannot create {}: {err}", self.console_log().display()))?;
        let console_err = console
            .try_clone()
            .map_err(|err| format!("cannot share {}: {err}", self.console_log().display()))?;

        let heap = &self.options.heap;
        let mut command = Command::new(java_binary());
        command
            .arg(format!("-Xms{heap}"))
            .arg(format!("-Xmx{heap}"))
            .args([
                "-Xss512k",
                "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseStringDeduplication",
                "-Djava.net.preferIPv4Stack=true",
                "-Djdk.attach.allowAttachSelf=true",
                "-Dchronicle.analytics.disable=true",
                "-Dcassandra-foreground=yes",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
            ])
            .args(JAVA17_FLAGS)
            .arg(format!("-Dcassandra.storagedir={}", storage.display()))
            .arg(format!("-Dcassandra.config=file://{}", yaml.display()))
            .arg(format!(
                "-Dlogback.configurationFile={}",
                conf.join("logback.xml").display()
            ))
            .arg(format!("-Dcassandra.logdir={}", self.log_dir().display()))
            .arg(format!("-Dcassandra.triggers_dir={}", triggers.display()))
            .arg(format!("-Djava.io.tmpdir={}", tmp.display()));
        if self.options.member.is_none() {
            // A throwaway node neither logs nor flushes changes to its
            // system tables (faster schema changes in tests). Not a
            // cluster's nodes: one killed would come back without the
            // schema changes of its last seconds while reporting the same
            // schema version as its peers, and refuse their writes to
            // those tables (INCOMPATIBLE_SCHEMA) until restarted again.
            command.args([
                "-Dcassandra.test.flush_local_schema_changes=false",
                "-Dcassandra.unsafesystem=true",
            ]);
        }
        if self.options.secure {
            // The default superuser at once, not after ten seconds.
            command.arg("-Dcassandra.superuser_setup_delay_ms=0");
        }
        if let Some(jamm) = distribution::jamm_agent(lib) {
            command.arg(format!("-javaagent:{}", jamm.display()));
        }
        command
            .arg("-cp")
            .arg(format!("{}:{}/*", conf.display(), lib.display()))
            .arg("org.apache.cassandra.service.CassandraDaemon")
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(console)
            .stderr(console_err)
            // Its own process group: a Ctrl-C meant for xtask leaves the node alone.
            .process_group(0);
        let child = command
            .spawn()
            .map_err(|err| format!("cannot start java: {err}"))?;
        files::write(&self.pid_file(), &format!("{}\n", child.id()))?;
        Ok(child)
    }

    /// Polls until the node answers, the process dies, or the deadline passes.
    fn wait_until_ready(&self, mut child: Option<Child>, started: Instant) -> Outcome {
        let port = self.options.port;
        let deadline = started + self.options.start_deadline();
        loop {
            if let Ok(version) =
                probe::release_version(self.options.address(), port, self.options.secure)
            {
                report_phase(
                    &format!("Cassandra {version} answering on {}", self.endpoint()),
                    started,
                );
                return Ok(());
            }
            let exited = match child.as_mut() {
                Some(child) => child
                    .try_wait()
                    .ok()
                    .flatten()
                    .map(|status| status.to_string()),
                None => self.running_pid().is_none().then(|| "gone".to_owned()),
            };
            if let Some(status) = exited {
                let _ = std::fs::remove_file(self.pid_file());
                return Err(format!(
                    "Cassandra exited during start-up ({status}).\n{}",
                    self.failure_report()
                )
                .into());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "Cassandra did not answer on {} within {}s; it is still running \
                     (stop it with `cargo xtask cassandra stop`).\n{}",
                    self.endpoint(),
                    self.options.timeout,
                    self.failure_report()
                )
                .into());
            }
            sleep(POLL_INTERVAL);
        }
    }

    /// The lines of the node's logs that explain a failure.
    fn failure_report(&self) -> String {
        let mut report = String::new();
        for (name, path) in [
            ("system.log", self.system_log()),
            ("console", self.console_log()),
        ] {
            let tail = tail(&path, 40);
            if !tail.is_empty() {
                report.push_str(&format!(
                    "--- last lines of {} ({name}) ---\n{tail}",
                    path.display()
                ));
            }
        }
        if report.is_empty() {
            report.push_str("(the node wrote no log)");
        }
        report
    }

    /// Stops the node gracefully, then by force after a deadline.
    pub fn stop(&self) -> Outcome {
        let Some(pid) = self.running_pid() else {
            println!(
                "no Cassandra started by this tool is running on {}",
                self.endpoint()
            );
            let _ = std::fs::remove_file(self.pid_file());
            return Ok(());
        };
        let started = Instant::now();
        signal(pid, "TERM")?;
        if !exits_within(pid, STOP_DEADLINE) {
            println!("pid {pid} ignored SIGTERM for {STOP_DEADLINE:?}; killing it");
            signal(pid, "KILL")?;
            sleep(Duration::from_millis(500));
        }
        let _ = std::fs::remove_file(self.pid_file());
        report_phase(&format!("stopped Cassandra (pid {pid})"), started);
        Ok(())
    }

    /// Kills the node's JVM at once (SIGKILL), as a crash or a power cut
    /// would: nothing is flushed, in-flight requests get no answer.
    pub fn kill(&self) -> Outcome {
        let Some(pid) = self.running_pid() else {
            return Err(format!(
                "no Cassandra started by this tool runs on {}",
                self.endpoint()
            )
            .into());
        };
        let started = Instant::now();
        signal(pid, "KILL")?;
        if !exits_within(pid, STOP_DEADLINE) {
            return Err(format!("pid {pid} is still alive {STOP_DEADLINE:?} after SIGKILL").into());
        }
        let _ = std::fs::remove_file(self.pid_file());
        report_phase(
            &format!("killed Cassandra (pid {pid}) on {}", self.endpoint()),
            started,
        );
        Ok(())
    }

    /// Freezes the node's JVM (SIGSTOP): its connections stay open and
    /// nothing answers, as a node in a long GC pause or behind a network
    /// partition. [`resume`](Self::resume) thaws it.
    pub fn pause(&self) -> Outcome {
        let Some(pid) = self.running_pid() else {
            return Err(format!(
                "no Cassandra started by this tool runs on {}",
                self.endpoint()
            )
            .into());
        };
        signal(pid, "STOP")?;
        println!("paused Cassandra (pid {pid}) on {}", self.endpoint());
        Ok(())
    }

    /// Thaws a [paused](Self::pause) node; harmless on a running one.
    pub fn resume(&self) -> Outcome {
        if let Some(pid) = self.running_pid() {
            signal(pid, "CONT")?;
        }
        Ok(())
    }

    /// Whether the JVM this tool started for the node is alive.
    pub fn is_running(&self) -> bool {
        self.running_pid().is_some()
    }

    /// Succeeds only when the node answers a CQL query.
    pub fn status(&self) -> Outcome {
        let port = self.options.port;
        let pid = self.running_pid().map_or_else(
            || "not started by this tool".to_owned(),
            |pid| format!("pid {pid}"),
        );
        match probe::release_version(self.options.address(), port, self.options.secure) {
            Ok(version) => {
                println!(
                    "Cassandra {version} answering on {} ({pid}); rss {}",
                    self.endpoint(),
                    self.rss()
                );
                Ok(())
            }
            Err(reason) => Err(format!(
                "no Cassandra answering on {} ({pid}): {reason}",
                self.endpoint()
            )
            .into()),
        }
    }

    fn rss(&self) -> String {
        self.running_pid()
            .and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
            .and_then(|status| {
                status
                    .lines()
                    .find(|line| line.starts_with("VmRSS:"))
                    .map(|line| line.trim_start_matches("VmRSS:").trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned())
    }

    /// Prints the last `lines` lines of system.log.
    pub fn print_log_tail(&self, lines: usize) -> Outcome {
        let path = self.system_log();
        if !path.exists() {
            return Err(format!(
                "{} does not exist: the node never started here",
                path.display()
            )
            .into());
        }
        print!("{}", tail(&path, lines));
        Ok(())
    }

    /// Stops the node and removes its folder.
    pub fn wipe(&self) -> Outcome {
        self.stop()?;
        if self.dir.exists() {
            std::fs::remove_dir_all(&self.dir)
                .map_err(|err| format!("cannot remove {}: {err}", self.dir.display()))?;
            println!("removed {}", self.dir.display());
        }
        Ok(())
    }
}

/// Waits up to `limit` for `pid` to end; whether it did.
fn exits_within(pid: u32, limit: Duration) -> bool {
    let started = Instant::now();
    while is_cassandra_process(pid) {
        if started.elapsed() > limit {
            return false;
        }
        sleep(Duration::from_millis(50));
    }
    true
}

/// Whether `pid` is a live (not zombie) Cassandra JVM.
fn is_cassandra_process(pid: u32) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().starts_with('Z'))
        })
        .unwrap_or(true);
    !zombie
        && String::from_utf8_lossy(&cmdline)
            .contains("org.apache.cassandra.service.CassandraDaemon")
}

fn signal(pid: u32, name: &str) -> Outcome {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .map_err(|err| format!("cannot run kill: {err}"))?;
    // A process that ended meanwhile is what we wanted.
    if status.success() || !is_cassandra_process(pid) {
        Ok(())
    } else {
        Err(format!("kill -{name} {pid} failed ({status})").into())
    }
}

fn java_binary() -> PathBuf {
    std::env::var_os("JAVA_HOME")
        .map(|home| PathBuf::from(home).join("bin").join("java"))
        .filter(|java| java.is_file())
        .unwrap_or_else(|| PathBuf::from("java"))
}

/// Cassandra 5.0 runs on Java 11 or 17; the flags here are for 17.
fn check_java() -> Outcome {
    let output = Command::new(java_binary())
        .arg("-version")
        .output()
        .map_err(|err| {
            format!("cannot run java (install a Java 17 JDK or set JAVA_HOME): {err}")
        })?;
    let text = String::from_utf8_lossy(&output.stderr);
    let major = text
        .split('"')
        .nth(1)
        .and_then(|version| version.split('.').next())
        .and_then(|major| major.parse::<u32>().ok());
    match major {
        Some(17) => Ok(()),
        Some(other) => Err(format!(
            "Cassandra 5.0 needs Java 17 here, but `java -version` says {other}; set JAVA_HOME to a Java 17 JDK"
        )
        .into()),
        None => Err(format!("cannot read the Java version from:\n{text}").into()),
    }
}

/// The last `lines` lines of the file at `path` (empty when unreadable).
fn tail(path: &Path, lines: usize) -> String {
    let Ok(text) = std::fs::read_to_string(path) else {
        return String::new();
    };
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    all[start..]
        .iter()
        .map(|line| format!("{line}\n"))
        .collect()
}
