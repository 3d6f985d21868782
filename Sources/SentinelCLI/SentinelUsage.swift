// SentinelUsage.swift — the `--help` text of the operator verbs.
//
// Invariant: every option the parser accepts is listed here.

/// The text printed for `--help`.
let sentinelUsageText = """
Usage: sentinel status [NAME] [options]
       sentinel failover NAME [options]
       sentinel ckquorum NAME [options]
       sentinel reset PATTERN [options]

Talks to a running sentinel (Vigil's or redis-sentinel) with SENTINEL commands.

  status [NAME]     Masters, replicas (link, offset, lag), other sentinels,
                    epochs, quorum and the last failover's timeline.
  failover NAME     Forces a failover of NAME (SENTINEL FAILOVER).
  ckquorum NAME     Checks that the quorum and a majority can be reached.
  reset PATTERN     Resets the masters matching PATTERN; prints how many.

Options (anywhere on the line):
  -h HOST           Sentinel host (default 127.0.0.1).
  -p PORT           Sentinel port (default 26379).
  -a PASSWORD       Password sent with AUTH.
  --user USER       ACL user sent with AUTH (needs -a).
  --json            Print JSON instead of text.
  --watch [SECONDS] status only: redraw every SECONDS (default 1) until Ctrl-C.
  --help            Print this help.

Exit codes: 0 ok, 1 sentinel unreachable, authentication failed or an error
reply, 2 usage error, 3 unknown master.

"""
