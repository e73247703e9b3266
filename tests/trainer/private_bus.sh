# Sourced by the trainer's command-line tests: start_private_bus starts a dbus-daemon of the
# test's own on $out/bus (appending its pid to the caller's pids array) and exports its
# address as DBUS_SYSTEM_BUS_ADDRESS, where fake-bluetoothd and the pavilion meet as on BlueZ's bus.
start_private_bus() {
  cat > "$out/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>custom</type>
  <listen>unix:path=$out/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/><allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
  </policy>
</busconfig>
CONF
  dbus-daemon --config-file="$out/bus.conf" --print-address=3 --nofork 3>"$out/address" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 1 300); do [ -s "$out/address" ] && break; sleep 0.1; done
  export DBUS_SYSTEM_BUS_ADDRESS="$(head -n1 "$out/address")"
}
