function on_start() end
