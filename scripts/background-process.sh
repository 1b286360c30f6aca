# Helpers for the scripts that run test servers in the background
# (weir-server.sh, moto-server.sh). Source it; it defines functions only.

# True while process $1 exists and has not exited; an exited child that the
# reaper has not collected yet is a zombie and counts as gone.
alive() {
    local stat state
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    state=${stat##*) }
    state=${state%% *}
    [[ -n $state && $state != Z ]]
}

# Prints the pid recorded in file $1 if that process is alive; fails otherwise.
running_pid() {
    local pid
    [[ -f $1 ]] || return 1
    pid=$(<"$1")
    [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
    echo "$pid"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Shows the last $2 (default 40) lines of log file $1 on stderr, if it has any.
show_log() {
    if [[ -s $1 ]]; then
        echo "---- last lines of $1 ----" >&2
        tail -n "${2:-40}" "$1" >&2
        echo "----" >&2
    fi
}
