package xbuild

import "os"

// swapByRenames puts stage at dist and the previous dist at stage with
// three renames. Between the first two, dist does not exist; a killed run
// leaves the previous release at the set-aside path, where
// recoverPublish finds it.
func swapByRenames(stage, dist string) error {
	_, aside := publishPaths(dist)
	if err := os.Rename(dist, aside); err != nil {
		return err
	}
	if err := os.Rename(stage, dist); err != nil {
		os.Rename(aside, dist)
		return err
	}
	return os.Rename(aside, stage)
}
